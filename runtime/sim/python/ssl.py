# The simulated board's `ssl`: MicroPython's API (SSLContext, and the older
# module-level wrap_socket) over the host's TLS. The host turns the socket's
# real TCP connection into a TLS connection (runtime/sim/node/net/tls-upgrade.ts);
# the socket then reads and writes plaintext as before, so wrap_socket hands
# back the same socket object. Errors are those of MicroPython's mbedTLS
# ports: a certificate that does not verify raises ValueError with mbedTLS's
# reason, another handshake failure OSError(negative code, message).
# Client side only: a board program serving TLS gets NotImplementedError.
import binascii
import _mote_net as _net

PROTOCOL_TLS_CLIENT = 0
PROTOCOL_TLS_SERVER = 1
CERT_NONE = 0
CERT_OPTIONAL = 1
CERT_REQUIRED = 2


def _data(x):
    # A path (as micropython-lib's ssl reads one) or the bytes themselves.
    if isinstance(x, str):
        with open(x, "rb") as f:
            return f.read()
    return bytes(x)


def _hex(b):
    return binascii.hexlify(b).decode()


def _check(data, key=False):
    # Parsed where the board parses it, so a bad file fails at load time as there.
    if not _net.call({"op": "tls-check", "data": _hex(data), "key": key}).get("ok"):
        raise ValueError("invalid key" if key else "invalid cert")


class SSLContext:
    def __init__(self, protocol):
        if protocol not in (PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER):
            raise ValueError("protocol")
        self._server = protocol == PROTOCOL_TLS_SERVER
        # mbedTLS's defaults: a client checks the server, a server does not ask.
        self.verify_mode = CERT_NONE if self._server else CERT_REQUIRED
        self._ca = None
        self._cert = None
        self._key = None

    def load_verify_locations(self, cafile=None, cadata=None):
        data = _data(cafile if cadata is None else cadata)
        _check(data)
        self._ca = data

    def load_cert_chain(self, certfile, keyfile):
        cert, key = _data(certfile), _data(keyfile)
        _check(key, True)
        _check(cert)
        self._cert, self._key = cert, key

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True, server_hostname=None):
        if server_side or self._server:
            raise NotImplementedError("the simulator's ssl is client side only")
        if self.verify_mode == CERT_REQUIRED and server_hostname is None:
            raise ValueError("CERT_REQUIRED requires server_hostname")
        req = {"op": "tls", "h": sock._handle(), "verify": self.verify_mode, "waitMs": -1 if sock._timeout is None else int(sock._timeout * 1000)}
        if server_hostname is not None:
            req["hostname"] = server_hostname
        for k, v in (("ca", self._ca), ("cert", self._cert), ("key", self._key)):
            if v is not None:
                req[k] = _hex(v)
        v = _net.call(req, req["waitMs"])
        f = v.get("tls")
        if f:
            # The board's socket is no use after a failed handshake.
            sock._h = None
            sock.close()
            if f["verify"]:
                raise ValueError(f["msg"])
            c = f["code"]
            raise _net.oserror(c) if isinstance(c, str) else OSError(c, f["msg"])
        if v.get("e"):
            raise _net.oserror(v["e"])
        return sock


def wrap_socket(sock, server_side=False, key=None, cert=None, cert_reqs=CERT_NONE, cadata=None, server_hostname=None, do_handshake=True):
    """The module-level call of MicroPython before SSLContext (and of ESP8266
    builds); it checks the server only when asked to (cert_reqs)."""
    ctx = SSLContext(PROTOCOL_TLS_SERVER if server_side else PROTOCOL_TLS_CLIENT)
    if key is not None:
        ctx.load_cert_chain(cert, key)
    if cadata is not None:
        ctx.load_verify_locations(cadata=cadata)
    ctx.verify_mode = cert_reqs
    return ctx.wrap_socket(sock, server_side=server_side, do_handshake_on_connect=do_handshake, server_hostname=server_hostname)
