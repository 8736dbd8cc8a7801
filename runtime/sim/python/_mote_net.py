# Shared by the simulated board's network, socket, select and ntptime modules:
# the Wi-Fi station's state (one per interpreter, like the radio) and calls to
# the host's `net` service, which owns the real TCP sockets.
import json
import errno
import time
import _mote_hw as _hw
import _mote_netio as _io
import _mote_board as _board

ESP32 = _board.PLATFORM == "esp32"
# How long a simulated join takes: long enough that programs must wait for
# isconnected() as on a board, short enough not to slow anyone down.
JOIN_MS = 250

_uid = _board.UNIQUE_ID
MAC_STA = bytes((0x24, 0x0A, 0xC4) if ESP32 else (0x28, 0xCD, 0xC1)) + _uid[-3:]
MAC_AP = MAC_STA[:5] + bytes(((MAC_STA[5] + 1) & 0xFF,))
STA_IP = "192.168.4.%d" % (10 + sum(_uid) % 200)
GATEWAY = "192.168.4.1"
NETMASK = "255.255.255.0"

# Interface state, shared by every WLAN object of the same interface.
sta = {"active": False, "joining": None, "up": False, "ssid": "", "static": None}


def sta_connected():
    t0 = sta["joining"]
    if t0 is not None and time.ticks_diff(time.ticks_ms(), t0) >= JOIN_MS:
        sta["joining"] = None
        sta["up"] = True
    return sta["up"]


def oserror(name):
    # Host errors arrive as errno names; anything else (a host fault) is EIO.
    return OSError(getattr(errno, name, errno.EIO) if name[:1] == "E" else errno.EIO)


def dns_error():
    # lwIP's getaddrinfo failure codes, as each port raises them.
    return OSError(-202 if ESP32 else -2)


_told = set()


def tell(msg):
    """Prints a simulator note on the board's output, once per interpreter life."""
    if msg not in _told:
        _told.add(msg)
        print("[Mote]", msg)


def refused(msg):
    # The exception alone (EACCES) would not tell the user that a setting,
    # not their code, stands in the way.
    tell("connection refused: " + msg)
    return OSError(errno.EACCES)


# Results of _io.recv and _io.send below zero (runtime/sim/worker/net/net-bridge.ts).
AGAIN = -1
READY = -2
_INTERRUPTED = -3


def _interrupt_point():
    # A scheduled KeyboardInterrupt fires on a backward jump, as this loop's.
    i = 0
    while i < 1:
        i += 1


def before_wait(wait_ms):
    # A call that may block: sleep_ms(0) sends what the program printed so
    # far, so "waiting for a client..." shows while it waits. If it saw a
    # Ctrl-C, the KeyboardInterrupt it scheduled must fire here: the flag is
    # spent, so the blocking call would not see it.
    if wait_ms:
        _hw.sleep_ms(0)
        _interrupt_point()


def failure(code):
    """The exception for a negative _io.recv/_io.send result other than AGAIN and READY."""
    if code == _INTERRUPTED:
        # Ctrl-C: KeyboardInterrupt is scheduled and fires here.
        _interrupt_point()
        return OSError(errno.EIO)
    name, _, why = _io.error().partition(": ")
    if name == "EACCES" and why:
        return refused(why)
    return oserror(name)


def call(req, wait_ms=0):
    """Asks the host's net service; returns the reply's value. wait_ms < 0 waits without limit."""
    before_wait(wait_ms)
    r = json.loads(_io.call(json.dumps(req), wait_ms))
    if r["ok"]:
        return r["value"]
    if r["error"] == "interrupted":
        raise failure(_INTERRUPTED)
    raise OSError(errno.EIO)


def resolve(host):
    """IPv4 addresses of host (a name or a dotted quad)."""
    if not isinstance(host, str):
        raise TypeError("host must be a str")
    v = call({"op": "resolve", "host": host})
    addrs = v.get("addrs")
    if not addrs:
        raise dns_error()
    return addrs


def is_ipv4(s):
    parts = s.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p.isdigit() or int(p) > 255:
            return False
    return True
