# machine.I2C and machine.SoftI2C on the simulated board, and the home of the
# other buses (SPI, UART live in _mote_bus_spi and _mote_bus_uart). The
# transfers run in `_mote_wires`, a JS bridge that takes ints and returns
# error codes; this module raises what the real port raises. Buffers go over
# as (uctypes.addressof(buf), len(buf)): the bridge reads and writes them in
# place, so a drawing loop allocates nothing per frame in a heap the wasm
# port only collects between commands.
#
# Devices hang on wires, not on a bus id: the OLED (0x3C) and the SHT3x
# (0x44) sit on the default pins of I2C 0, so a SoftI2C on those pins finds
# them too.
import json
import uctypes
import _mote_wires as _w
import _mote_board as _board
from _mote_pin import pin_id as gpio

# errno values as MicroPython ports number them.
EIO = 5
ENODEV = 19
ETIMEDOUT = 110

# Error codes from the bridge (runtime/sim/worker/bus/).
_NACK = -1
_TIMEOUT = -2
_INTERRUPTED = -3
_BAD_ARGUMENT = -4
_FAULT = -5

DEFAULTS = json.loads(_w.defaults())
RP2 = _board.PLATFORM == "rp2"


def bus_pins(kind, bus_id):
    """Default pins of hardware bus `bus_id`, or ValueError as the ports raise it."""
    pins = DEFAULTS[kind].get(str(bus_id))
    if pins is None:
        # The esp32 port words its UART error differently from every other bus and port.
        verb = "does not exist" if kind == "uart" and not RP2 else "doesn't exist"
        raise ValueError("%s(%d) %s" % (kind.upper(), bus_id, verb))
    return pins


def ptr(buf):
    """The address of a buffer's bytes, for the bridge (0 for an empty one)."""
    return uctypes.addressof(buf) if len(buf) else 0


def check(ret, nack_errno=ENODEV):
    """Raises for a negative bridge result; returns it otherwise."""
    if ret >= 0:
        return ret
    if ret == _NACK:
        raise OSError(nack_errno)
    if ret == _TIMEOUT:
        raise OSError(ETIMEDOUT)
    if ret == _INTERRUPTED:
        interrupted()
    if ret == _BAD_ARGUMENT:
        raise ValueError("bad buffer")
    raise OSError(EIO)


def interrupted():
    # Ctrl-C arrived while the bridge waited: KeyboardInterrupt is already
    # scheduled and fires at the next backward jump of this loop.
    for _ in range(1000):
        pass
    raise OSError(EIO)


def _mem_bytes(memaddr, addrsize):
    if addrsize not in (8, 16, 24, 32):
        raise ValueError("invalid addrsize")
    n = addrsize // 8
    return bytes((memaddr >> (8 * (n - 1 - i))) & 0xFF for i in range(n))


class _I2CBase:
    _nack = ENODEV

    def _setup(self, scl, sda, freq, timeout):
        self._scl = scl
        self._sda = sda
        if freq <= 0:
            raise ValueError("freq must be positive")
        self._freq = freq
        self._timeout = timeout

    def scan(self):
        found = _w.i2c_scan(self._scl, self._sda)
        return [int(a) for a in found.split(",")] if found else []

    def _send(self, addr, buf, stop, staged):
        return check(_w.i2c_write(self._scl, self._sda, addr, ptr(buf), len(buf), 1 if stop else 0, staged), self._nack)

    def writeto(self, addr, buf, stop=True):
        return self._send(addr, buf, stop, 0)

    def writevto(self, addr, vector, stop=True):
        # One message: START, address, every buffer's bytes, STOP.
        last = None
        first = 1
        for b in vector:
            if last is not None:
                check(_w.i2c_stage(ptr(last), len(last), first))
                first = 0
            last = b
        if last is None:
            last = b""
        return self._send(addr, last, stop, 1 - first)

    def readfrom(self, addr, nbytes, stop=True):
        buf = bytearray(nbytes)
        self.readfrom_into(addr, buf, stop)
        return bytes(buf)

    def readfrom_into(self, addr, buf, stop=True):
        check(_w.i2c_read(self._scl, self._sda, addr, ptr(buf), len(buf), 1 if stop else 0, self._timeout), self._nack)

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self.writevto(addr, (_mem_bytes(memaddr, addrsize), buf))

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        buf = bytearray(nbytes)
        self.readfrom_mem_into(addr, memaddr, buf, addrsize=addrsize)
        return bytes(buf)

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        mem = _mem_bytes(memaddr, addrsize)
        acked = self.writeto(addr, mem, False)
        if acked != len(mem):
            # The register address was refused: the port ends the message and
            # leaves buf as it was, without raising.
            _w.i2c_write(self._scl, self._sda, addr, 0, 0, 1, 0)
            return
        self.readfrom_into(addr, buf)


    # Primitive operations: only the software I2C has them (extmod raises this on hardware buses).
    def start(self):
        raise OSError("I2C operation not supported")

    stop = start

    def write(self, buf):
        raise OSError("I2C operation not supported")

    def readinto(self, buf, nack=True):
        raise OSError("I2C operation not supported")


class I2C(_I2CBase):
    def __init__(self, id=-1, *, scl=None, sda=None, freq=400000, timeout=50000):
        if id == -1:
            if not RP2:
                raise TypeError("'id' argument required")
            id = 0
        pins = bus_pins("i2c", id)
        scl = pins[0] if scl is None else gpio(scl)
        sda = pins[1] if sda is None else gpio(sda)
        if RP2:
            # RP2040: SCL on odd pins, SDA on even, and I2Cn on pin pairs with (pin >> 1) & 1 == n.
            if not (scl & 1 and (scl >> 1) & 1 == id):
                raise ValueError("bad SCL pin")
            if sda & 1 or (sda >> 1) & 1 != id:
                raise ValueError("bad SDA pin")
            # rp2's hardware I2C reports a NACK as EIO (its SDK has no finer error).
            self._nack = EIO
        self._id = id
        self._setup(scl, sda, freq, timeout)

    def __repr__(self):
        if RP2:
            return "I2C(%d, freq=%d, scl=%d, sda=%d, timeout=%d)" % (self._id, self._freq, self._scl, self._sda, self._timeout)
        return "I2C(%d, scl=%d, sda=%d, freq=%d)" % (self._id, self._scl, self._sda, self._freq)


class SoftI2C(_I2CBase):
    def __init__(self, scl, sda, *, freq=400000, timeout=50000):
        self._setup(gpio(scl), gpio(sda), freq, timeout)

    def start(self):
        _w.i2c_raw(self._scl, self._sda, 0, 0, 0, 0)

    def stop(self):
        _w.i2c_raw(self._scl, self._sda, 1, 0, 0, 0)

    # Sends bytes until one is not ACKed (the first after start() is the address); returns the ACK count.
    def write(self, buf):
        return check(_w.i2c_raw(self._scl, self._sda, 2, ptr(buf), len(buf), self._timeout))

    def readinto(self, buf, nack=True):
        check(_w.i2c_raw(self._scl, self._sda, 3, ptr(buf), len(buf), self._timeout))

    def __repr__(self):
        return "SoftI2C(scl=%d, sda=%d, freq=%d)" % (self._scl, self._sda, self._freq)


from _mote_bus_spi import SPI, SoftSPI  # noqa: E402  (they use the helpers above)
from _mote_bus_uart import UART  # noqa: E402
