# A small MQTT 3.1.1 client, written by Mote Studio from the OASIS MQTT 3.1.1
# specification. Its API matches micropython-lib's umqtt.simple, so programs
# written for that module run with this one:
#
#     from umqtt.simple import MQTTClient
#     c = MQTTClient("my-board", "192.168.1.20")
#     c.connect()
#     c.publish("sensors/temp", "21.5")
#     c.disconnect()
#
# QoS 0 and 1 are supported (QoS 2 is not, as in umqtt.simple). Topics and
# messages may be str or bytes; callbacks receive bytes.
import socket
import struct

# Control packet types (spec section 2.2.1), already shifted into the high nibble.
CONNECT = 0x10
CONNACK = 0x20
PUBLISH = 0x30
PUBACK = 0x40
SUBSCRIBE = 0x82  # the spec requires flags 0b0010 on SUBSCRIBE
SUBACK = 0x90
PINGREQ = 0xC0
PINGRESP = 0xD0
DISCONNECT = 0xE0

# CONNACK return codes (section 3.2.2.3).
REFUSED = {
    1: "unacceptable protocol version",
    2: "client identifier rejected",
    3: "server unavailable",
    4: "bad user name or password",
    5: "not authorized",
}

EAGAIN = 11


class MQTTException(Exception):
    pass


def _bytes(s):
    return s.encode() if isinstance(s, str) else bytes(s)


def _field(s):
    # A UTF-8 string or binary field: a 2-byte big-endian length, then the bytes.
    b = _bytes(s)
    return struct.pack("!H", len(b)) + b


def _remaining_length(n):
    # Variable-length integer (section 2.2.3): 7 bits per byte, low bits
    # first, the top bit set while more bytes follow.
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | 0x80 if n else byte)
        if not n:
            return bytes(out)


class MQTTClient:
    def __init__(self, client_id, server, port=0, user=None, password=None, keepalive=0, ssl=None):
        if port == 0:
            port = 8883 if ssl else 1883
        self.client_id = client_id
        self.server = server
        self.port = port
        self.user = user
        self.pswd = password
        self.keepalive = keepalive
        self.ssl = ssl
        self.sock = None
        self.cb = None
        self.pid = 0
        self.lw_topic = None
        self.lw_msg = None
        self.lw_qos = 0
        self.lw_retain = False
        # The packet id and granted QoS of the last PUBACK or SUBACK.
        self._acked = None
        self._granted = None

    # --- the wire -----------------------------------------------------------

    def _send(self, data):
        # send() may take only part of the bytes on a busy link.
        while data:
            n = self.sock.send(data)
            data = data[n:]

    def _recv(self, n):
        # Exactly n bytes; a closed connection is an error, as in umqtt.simple.
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise OSError(-1)
            buf += chunk
        return buf

    def _packet(self, first_byte, body):
        self._send(bytes((first_byte,)) + _remaining_length(len(body)) + body)

    def _read_length(self):
        n = 0
        shift = 0
        while True:
            byte = self._recv(1)[0]
            n |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return n
            shift += 7
            if shift > 21:
                raise MQTTException("malformed remaining length")

    def _next_pid(self):
        # Packet identifiers are 1..65535 (0 is not allowed).
        self.pid = self.pid % 65535 + 1
        return self.pid

    # --- the umqtt.simple API -----------------------------------------------

    def set_callback(self, f):
        # f(topic, msg) is called for every message that arrives.
        self.cb = f

    def set_last_will(self, topic, msg, retain=False, qos=0):
        # What the broker publishes for us if we vanish without disconnect().
        if not 0 <= qos <= 2:
            raise ValueError("qos must be 0, 1 or 2")
        if not topic:
            raise ValueError("the last will needs a topic")
        self.lw_topic = topic
        self.lw_msg = msg
        self.lw_qos = qos
        self.lw_retain = retain

    def connect(self, clean_session=True, timeout=None):
        # Returns True when the broker still had a session for this client.
        addr = socket.getaddrinfo(self.server, self.port)[0][-1]
        self.sock = socket.socket()
        if timeout is not None:
            self.sock.settimeout(timeout)
        self.sock.connect(addr)
        if self.ssl:
            self.sock = self.ssl.wrap_socket(self.sock, server_hostname=self.server)
        # Connect flags (section 3.1.2.3).
        flags = 0x02 if clean_session else 0
        payload = _field(self.client_id)
        if self.lw_topic:
            flags |= 0x04 | self.lw_qos << 3 | (0x20 if self.lw_retain else 0)
            payload += _field(self.lw_topic) + _field(self.lw_msg)
        if self.user is not None:
            flags |= 0x80
            payload += _field(self.user)
            if self.pswd is not None:
                flags |= 0x40
                payload += _field(self.pswd)
        # Variable header: protocol name "MQTT", level 4 (= 3.1.1), flags, keepalive.
        header = _field("MQTT") + bytes((4, flags)) + struct.pack("!H", self.keepalive)
        self._packet(CONNECT, header + payload)
        reply = self._recv(4)
        if reply[0] != CONNACK or reply[1] != 2:
            raise MQTTException("the server did not answer like an MQTT broker")
        if reply[3] != 0:
            raise MQTTException("connection refused: " + REFUSED.get(reply[3], str(reply[3])))
        if timeout is not None:
            self.sock.settimeout(None)
        return bool(reply[2] & 1)

    def disconnect(self):
        try:
            self._send(bytes((DISCONNECT, 0)))
        finally:
            self.sock.close()
            self.sock = None

    def ping(self):
        # The answer (PINGRESP) is read by wait_msg() / check_msg().
        self._send(bytes((PINGREQ, 0)))

    def publish(self, topic, msg, retain=False, qos=0):
        if qos not in (0, 1):
            raise ValueError("qos must be 0 or 1")
        body = _field(topic)
        pid = 0
        if qos:
            pid = self._next_pid()
            body += struct.pack("!H", pid)
        body += _bytes(msg)
        self._packet(PUBLISH | qos << 1 | (1 if retain else 0), body)
        # At QoS 1 the broker confirms with a PUBACK carrying our packet id;
        # messages that arrive meanwhile go to the callback.
        while qos:
            if self.wait_msg() == PUBACK and self._acked == pid:
                return

    def subscribe(self, topic, qos=0):
        if self.cb is None:
            raise MQTTException("set_callback() must be called before subscribe()")
        if qos not in (0, 1):
            raise ValueError("qos must be 0 or 1")
        pid = self._next_pid()
        self._packet(SUBSCRIBE, struct.pack("!H", pid) + _field(topic) + bytes((qos,)))
        while True:
            if self.wait_msg() == SUBACK and self._acked == pid:
                if self._granted == 0x80:
                    raise MQTTException("the broker refused the subscription to " + str(topic))
                return

    def wait_msg(self):
        # Reads one packet from the broker, blocking. A message goes to the
        # callback. Returns the packet type, or None when a non-blocking socket
        # has nothing to read.
        try:
            first = self.sock.recv(1)
        except OSError as e:
            if e.args and e.args[0] == EAGAIN:
                return None
            raise
        if first is None:
            return None
        if not first:
            raise OSError(-1)
        # The rest of a packet that has started always follows: wait for it.
        self.sock.setblocking(True)
        kind = first[0]
        length = self._read_length()
        body = self._recv(length) if length else b""
        op = kind & 0xF0
        if op == PUBLISH:
            self._deliver(kind, body)
            return PUBLISH
        if op in (PUBACK, SUBACK):
            self._acked = body[0] << 8 | body[1]
            self._granted = body[2] if op == SUBACK else None
            return op
        if kind == PINGRESP:
            return PINGRESP
        return op

    def check_msg(self):
        # Like wait_msg(), but returns at once when nothing is waiting.
        self.sock.setblocking(False)
        try:
            return self.wait_msg()
        finally:
            self.sock.setblocking(True)

    def _deliver(self, kind, body):
        qos = (kind >> 1) & 3
        if qos == 2:
            raise MQTTException("QoS 2 messages are not supported")
        topic_len = body[0] << 8 | body[1]
        topic = body[2 : 2 + topic_len]
        pos = 2 + topic_len
        if qos:
            pid = body[pos] << 8 | body[pos + 1]
            pos += 2
        if self.cb:
            self.cb(topic, body[pos:])
        if qos == 1:
            self._send(bytes((PUBACK, 2)) + struct.pack("!H", pid))
