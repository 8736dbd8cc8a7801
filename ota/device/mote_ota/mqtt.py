# A small MQTT 3.1.1 client over socket, in the spirit of umqtt.simple, with
# what the agent needs beside it: binary payloads, a receive wait with a
# timeout (so block requests can be re-sent after a silence), and a last will.
# Each incoming message is read whole into RAM: blocks are sized for that.
# With `ca` (the broker's CA certificate, DER) the connection is TLS: the
# socket is wrapped right after the TCP connect, and the broker's
# certificate must be signed by that CA and name `host`.

import socket
import struct
import time
import errno


class MQTTError(Exception):
    pass


class MQTT:
    def __init__(self, client_id, host, port=1883, user=None, password=None, keepalive=60, will=None, ca=None):
        self.cid = client_id
        self.host = host
        self.ca = ca
        self.poller = None
        self.addr = socket.getaddrinfo(host, port)[0][-1]
        self.user = user
        self.pswd = password
        self.keepalive = keepalive
        self.will = will  # (topic, payload, retain, qos)
        self.sock = None
        self.pid = 0

    def _str(self, s):
        if isinstance(s, str):
            s = s.encode()
        return struct.pack('!H', len(s)) + s

    def _send(self, kind, body):
        n = len(body)
        hdr = bytearray([kind])
        while True:
            b = n & 0x7F
            n >>= 7
            hdr.append(b | 0x80 if n else b)
            if not n:
                break
        self.sock.write(hdr)
        self.sock.write(body)

    def _tls(self):
        # Imported only here: a board on plain MQTT never loads ssl.
        import ssl
        import select
        if not hasattr(ssl, 'CERT_REQUIRED'):
            # axTLS (the ESP8266's ssl) never checks a certificate: TLS there would trust any server.
            raise ValueError('this port cannot check the broker certificate (its ssl is axTLS)')
        if hasattr(ssl, 'SSLContext'):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(cadata=self.ca)
            self.sock = ctx.wrap_socket(self.sock, server_hostname=self.host)
        else:
            # Before MicroPython 1.21 (mbedTLS ports had cadata and cert_reqs since 1.20).
            self.sock = ssl.wrap_socket(self.sock, server_hostname=self.host, cert_reqs=ssl.CERT_REQUIRED, cadata=self.ca)
        # An SSL socket has no settimeout (and a timeout under it would break
        # the TLS session): wait() polls it instead, which sees data mbedTLS
        # has already buffered.
        self.poller = select.poll()
        self.poller.register(self.sock, select.POLLIN)

    def connect(self):
        self.sock = socket.socket()
        self.sock.connect(self.addr)
        if self.ca:
            self._tls()
        flags = 0x02  # clean session: the retained desired message carries what matters
        payload = self._str(self.cid)
        if self.will:
            t, m, retain, qos = self.will
            flags |= 0x04 | (qos << 3) | (0x20 if retain else 0)
            payload += self._str(t) + self._str(m)
        if self.user is not None:
            flags |= 0x80
            payload += self._str(self.user)
            if self.pswd is not None:
                flags |= 0x40
                payload += self._str(self.pswd)
        self._send(0x10, self._str(b'MQTT') + bytes([4, flags]) + struct.pack('!H', self.keepalive) + payload)
        kind, body = self._read()
        if kind != 0x20 or body[1] != 0:
            raise MQTTError('connection refused, code %d' % (body[1] if len(body) > 1 else -1))

    def close(self):
        if self.sock:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None
            self.poller = None

    def disconnect(self):
        self._send(0xE0, b'')
        self.close()

    def publish(self, topic, msg, retain=False, qos=0):
        body = self._str(topic)
        if qos:
            self.pid = self.pid % 65535 + 1
            body += struct.pack('!H', self.pid)
        self._send(0x30 | (qos << 1) | (1 if retain else 0), body + msg)

    def subscribe(self, topic, qos=0):
        self.pid = self.pid % 65535 + 1
        self._send(0x82, struct.pack('!H', self.pid) + self._str(topic) + bytes([qos]))

    def ping(self):
        self._send(0xC0, b'')

    def _readn(self, n):
        buf = bytearray(n)
        mv = memoryview(buf)
        got = 0
        while got < n:
            k = self.sock.readinto(mv[got:])
            if not k:
                raise OSError(-1)  # connection closed
            got += k
        return buf

    def _read(self, kind=None):
        if kind is None:
            kind = self._readn(1)[0]
        n = 0
        shift = 0
        while True:
            b = self._readn(1)[0]
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        return kind, (self._readn(n) if n else b'')

    def _first(self, left):
        # The first byte of a packet within `left` ms on a plain socket, or None.
        # A socket timeout on the first byte only, rather than poll(): bytes
        # already buffered inside the socket layer count as readable here.
        self.sock.settimeout(left / 1000)
        try:
            return self.sock.read(1)
        except OSError as e:
            if e.args[0] in (errno.ETIMEDOUT, errno.EAGAIN):
                return None
            raise
        finally:
            self.sock.settimeout(None)

    def wait(self, timeout_ms):
        """The next application message as (topic, payload), or None after
        timeout_ms without one. Acknowledges QoS 1 messages."""
        deadline = time.ticks_add(time.ticks_ms(), timeout_ms)
        while True:
            left = time.ticks_diff(deadline, time.ticks_ms())
            if left <= 0:
                return None
            if self.poller:
                if not self.poller.poll(left):
                    return None
                first = self.sock.read(1)
            else:
                first = self._first(left)
                if first is None:
                    return None
            if not first:
                raise OSError(-1)  # connection closed
            kind, body = self._read(first[0])
            if kind & 0xF0 != 0x30:
                continue  # SUBACK, PUBACK, PINGRESP: nothing to do
            tl = (body[0] << 8) | body[1]
            topic = bytes(body[2:2 + tl])
            i = 2 + tl
            if kind & 0x06:
                pid = body[i:i + 2]
                i += 2
                self._send(0x40, bytes(pid))
            return topic, memoryview(body)[i:]
