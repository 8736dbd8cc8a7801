# The simulated board's `socket` module: TCP and UDP sockets over the host's
# real network (the `net` host service), with MicroPython's behaviour: OSError
# with the board's errno numbers, blocking, timeouts and non-blocking mode, and
# stream methods (read, readline, write) that umqtt and HTTP code rely on.
# A blocking call waits on the host without burning the CPU; Ctrl-C ends it.
# A board's listening (TCP) or bound (UDP) port is served on the computer's
# loopback only, and the board prints where.
import errno
import io
import time
import uctypes
import _mote_net as _net
import _mote_netio as _io

AF_INET = 2
AF_INET6 = 10
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
IPPROTO_IP = 0
IPPROTO_TCP = 6
IPPROTO_UDP = 17
SO_REUSEADDR = 4
SO_KEEPALIVE = 8
SO_BROADCAST = 32
TCP_NODELAY = 1
if _net.ESP32:
    SOL_SOCKET = 0xFFF
    IP_ADD_MEMBERSHIP = 3
else:
    SOL_SOCKET = 1
    IP_ADD_MEMBERSHIP = 0x400

_POLL = 3  # MP_STREAM_POLL, for the built-in select
_CLOSE = 4  # MP_STREAM_CLOSE
_POLLIN = 1
_POLLOUT = 4
# One host call carries at most this much (the host caps recv the same way).
_CHUNK = 65536
_LINE_FILL = 4096


def getaddrinfo(host, port, af=0, type=0, proto=0, flags=0):
    if not isinstance(port, int):
        port = int(port)
    if _net.is_ipv4(host):
        ip = host
    else:
        # A name needs the DNS server of the network the board joined.
        if not _net.sta_connected():
            raise _net.dns_error()
        ip = _net.resolve(host)[0]
    return [(AF_INET, type or SOCK_STREAM, proto, "", (ip, port))]


def _ms(timeout):
    return -1 if timeout is None else int(timeout * 1000)


class socket(io.IOBase):
    def __init__(self, af=AF_INET, type=SOCK_STREAM, proto=0):
        if af != AF_INET:
            raise OSError(errno.EINVAL)
        if type not in (SOCK_STREAM, SOCK_DGRAM):
            raise OSError(errno.EOPNOTSUPP)
        self._udp = type == SOCK_DGRAM
        # A UDP socket's connect() target, for send() and recv().
        self._peer = None
        self._h = None
        self._timeout = None
        self._closed = False
        # Bytes fetched from the host but not yet returned: _rx[_pos:].
        self._rx = b""
        self._pos = 0
        self._port = 0
        self._buf = None

    def __repr__(self):
        return "<socket state=%s timeout=%s>" % ("closed" if self._closed else ("connected" if self._h else "new"), self._timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        if self._closed:
            raise OSError(errno.EBADF)
        if self._h is None:
            raise OSError(errno.ENOTCONN)
        return self._h

    def settimeout(self, value):
        if value is not None and value < 0:
            raise ValueError("timeout must be >= 0")
        self._timeout = value

    def setblocking(self, flag):
        self._timeout = None if flag else 0

    def setsockopt(self, level, optname, value):
        # Options a board accepts (SO_REUSEADDR, TCP_NODELAY...) change nothing visible here.
        if self._closed:
            raise OSError(errno.EBADF)

    def makefile(self, mode="rb", buffering=0):
        return self

    def fileno(self):
        return -1 if self._h is None else self._h

    def _route(self, address):
        # (ip, port) for an address a program gives; the board needs its network.
        if self._closed:
            raise OSError(errno.EBADF)
        host, port = address[0], int(address[1])
        if not _net.sta_connected():
            raise OSError(errno.EHOSTUNREACH)
        return (host if _net.is_ipv4(host) else _net.resolve(host)[0]), port

    def connect(self, address):
        if self._udp:
            self._peer = self._route(address)
            return
        if self._h is not None:
            raise OSError(errno.EISCONN if hasattr(errno, "EISCONN") else errno.EALREADY)
        ip, port = self._route(address)
        t = self._timeout
        v = _net.call({"op": "connect", "ip": ip, "port": port, "waitMs": _ms(t), "pending": t == 0}, _ms(t))
        e = v.get("e")
        if e == "EACCES":
            raise _net.refused(v.get("msg", ip))
        if e:
            raise _net.oserror(e)
        self._h = v["h"]
        if v.get("pending"):
            raise OSError(errno.EINPROGRESS)

    def send(self, data):
        if self._udp:
            if self._peer is None:
                raise OSError(errno.ENOTCONN)
            return self.sendto(data, self._peer)
        h = self._handle()
        if isinstance(data, str):
            data = data.encode()
        n = min(len(data), _CHUNK)
        if not n:
            return 0
        t = self._timeout
        wait = _ms(t)
        _net.before_wait(wait)
        # The bridge reads the bytes in place: nothing is copied on the Python heap.
        r = _io.send(h, uctypes.addressof(data), n, wait, 1 if t == 0 else 0)
        if r < 0:
            raise _net.failure(r)
        return r

    def sendall(self, data):
        mv = memoryview(data.encode() if isinstance(data, str) else data)
        while len(mv):
            n = self.send(mv)
            mv = mv[n:]

    def write(self, data, n=None):
        mv = memoryview(data.encode() if isinstance(data, str) else data)
        if n is not None:
            mv = mv[:n]
        done = 0
        while done < len(mv):
            try:
                done += self.send(mv[done:])
            except OSError as e:
                if e.errno == errno.EAGAIN:
                    return done or None
                raise
        return done

    def _buffer(self, n):
        # This socket's receive buffer: the bridge writes into it in place, so
        # a recv that finds nothing allocates nothing.
        buf = self._buf
        if buf is None or len(buf) < n:
            buf = self._buf = bytearray(n)
        return buf

    def _wait_for(self, op, h, addr, n):
        # Calls op (_io.recv or _io.udp_recv) until data, as the socket's mode says.
        t = self._timeout
        wait = _ms(t)
        deadline = None if t is None else time.ticks_add(time.ticks_ms(), wait)
        while True:
            _net.before_wait(wait)
            r = op(h, addr, n, wait)
            if r >= 0:
                return r
            if r == _net.READY:
                wait = 0
            elif r == _net.AGAIN:
                wait = self._left(deadline)
            else:
                raise _net.failure(r)

    def _fill(self, n):
        # Returns b"" at the end of the stream.
        buf = self._buffer(n)
        r = self._wait_for(_io.recv, self._handle(), uctypes.addressof(buf), n)
        return bytes(memoryview(buf)[:r]) if r else b""

    def _left(self, deadline):
        # After a wait that found nothing: how long to wait next, or the error
        # the socket's mode calls for.
        if self._timeout == 0:
            raise OSError(errno.EAGAIN)
        if deadline is None:
            return -1
        left = time.ticks_diff(deadline, time.ticks_ms())
        if left <= 0:
            raise OSError(errno.ETIMEDOUT)
        return left

    def recv(self, bufsize):
        if self._udp:
            return self.recvfrom(bufsize)[0]
        if bufsize <= 0:
            self._handle()
            return b""
        if self._pos >= len(self._rx):
            # Asking the host for more than a small read needs keeps byte-wise
            # protocol parsing (recv(1), recv(2)...) from costing a host call each.
            self._rx = self._fill(min(max(bufsize, _LINE_FILL), _CHUNK))
            self._pos = 0
        p = self._pos
        rx = self._rx
        self._pos = p + bufsize
        if p == 0 and bufsize >= len(rx):
            return rx
        return rx[p : p + bufsize]

    def _buffered(self):
        return max(0, len(self._rx) - self._pos)

    def recvfrom(self, bufsize):
        if not self._udp:
            return self.recv(bufsize), None
        h = self._handle()
        buf = self._buffer(bufsize)
        r = self._wait_for(_io.udp_recv, h, uctypes.addressof(buf), bufsize)
        ip, port = _io.peer().split(" ")
        return bytes(memoryview(buf)[:r]), (ip, int(port))

    def _udp_open(self, req):
        # The host's UDP socket behind this one: made by bind(), else by the first sendto().
        v = _net.call(req)
        if v.get("e"):
            raise _net.oserror(v["e"])
        self._h = v["h"]
        return v

    def sendto(self, data, address):
        if not self._udp:
            raise OSError(errno.EOPNOTSUPP)
        ip, port = self._route(address)
        if self._h is None:
            self._udp_open({"op": "udp-open"})
        if isinstance(data, str):
            data = data.encode()
        mv = memoryview(data)
        r = _io.udp_send(self._h, uctypes.addressof(mv) if len(mv) else 0, len(mv), ip, port)
        if r < 0:
            raise _net.failure(r)
        return r

    def read(self, size=-1):
        # A stream read: blocks until size bytes or the end (all data to the
        # end when size < 0); non-blocking returns what is there, or None.
        parts = []
        got = 0
        while size < 0 or got < size:
            want = _CHUNK if size < 0 else min(size - got, _CHUNK)
            try:
                chunk = self.recv(want)
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.ETIMEDOUT) and self._timeout == 0:
                    if not parts:
                        return None
                    break
                raise
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def readinto(self, buf, nbytes=None):
        mv = memoryview(buf)
        if nbytes is not None:
            mv = mv[:nbytes]
        data = self.read(len(mv))
        if data is None:
            return None
        mv[: len(data)] = data
        return len(data)

    def readline(self):
        parts = []
        while True:
            if self._pos >= len(self._rx):
                try:
                    self._rx = self._fill(_LINE_FILL)
                except OSError as e:
                    if e.errno == errno.EAGAIN and parts:
                        break
                    raise
                self._pos = 0
                if not self._rx:
                    break
            i = self._rx.find(b"\n", self._pos)
            end = len(self._rx) if i < 0 else i + 1
            parts.append(self._rx[self._pos : end])
            self._pos = end
            if i >= 0:
                break
        return b"".join(parts)

    def _poll(self, mask, wait_ms):
        """The events among mask ready within wait_ms (select uses the host's poll directly)."""
        if self._closed or self._h is None:
            return 0
        ev = _POLLIN if self._buffered() and mask & _POLLIN else 0
        if ev:
            return ev
        v = _net.call({"op": "poll", "hs": [[self._h, mask]], "waitMs": wait_ms}, wait_ms)
        for h, e in v.get("ready", ()):
            ev |= e
        return ev

    def ioctl(self, req, arg):
        if req == _POLL:
            return self._poll(arg, 0)
        if req == _CLOSE:
            self.close()
            return 0
        return -errno.EINVAL

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._rx = b""
        self._pos = 0
        if self._h is not None:
            h, self._h = self._h, None
            self._buf = None
            _net.call({"op": "close", "h": h})

    def bind(self, address):
        if self._closed:
            raise OSError(errno.EBADF)
        if self._h is not None:
            raise OSError(errno.EINVAL)
        self._port = int(address[1])
        if self._udp:
            v = self._udp_open({"op": "udp-open", "port": self._port})
            _net.tell("the board's UDP port %d is 127.0.0.1:%d on this computer" % (self._port, v["hostPort"]))

    def listen(self, backlog=2):
        if self._closed:
            raise OSError(errno.EBADF)
        if self._h is not None:
            return
        v = _net.call({"op": "listen", "port": self._port, "backlog": max(1, backlog)})
        e = v.get("e")
        if e:
            raise _net.oserror(e)
        self._h = v["h"]
        _net.tell("the board's port %d is 127.0.0.1:%d on this computer" % (self._port, v["hostPort"]))

    def accept(self):
        h = self._handle()
        t = self._timeout
        wait = _ms(t)
        deadline = None if t is None else time.ticks_add(time.ticks_ms(), wait)
        while True:
            v = _net.call({"op": "accept", "h": h, "waitMs": wait}, wait)
            if "addr" in v:
                c = socket()
                c._h = v["h"]
                return c, tuple(v["addr"])
            e = v.get("e")
            if e:
                raise _net.oserror(e)
            if v.get("ready"):
                wait = 0
                continue
            wait = self._left(deadline)
