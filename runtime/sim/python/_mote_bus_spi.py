# machine.SPI and machine.SoftSPI on the simulated board. A device on the
# wires takes part while its chip-select GPIO is low: the level the program
# last wrote with machine.Pin is sampled at every transfer and handed to the
# bridge with the bytes.
import _mote_hw as _hw
import _mote_wires as _w
from _mote_bus import RP2, bus_pins, check, gpio, ptr

# firstbit constants: the rp2 SDK numbers MSB first as 1, extmod and esp32 as 0.
_MSB = 1 if RP2 else 0
_LSB = 0 if RP2 else 1
# Hardware SPI's default baud rate: 1 MHz on rp2, 500 kHz on esp32.
_HW_BAUDRATE = 1000000 if RP2 else 500000


class _SPIBase:
    MSB = _MSB
    LSB = _LSB

    def _pins(self, sck, mosi, miso):
        self._sck, self._mosi, self._miso = sck, mosi, miso
        self._cs = [int(g) for g in _w.spi_cs_pins(sck, mosi, miso).split(",") if g]

    def _format(self, baudrate, polarity, phase, bits, firstbit):
        if baudrate <= 0:
            raise ValueError("baudrate must be positive")
        if polarity not in (0, 1) or phase not in (0, 1):
            raise ValueError("polarity and phase must be 0 or 1")
        if firstbit not in (_MSB, _LSB):
            raise ValueError("firstbit must be MSB or LSB")
        self.baudrate, self.polarity, self.phase, self.bits, self.firstbit = baudrate, polarity, phase, bits, firstbit

    def deinit(self):
        pass

    def _transfer(self, out, into, n, fill=0):
        # out None: send `fill` n times; into None: discard what MISO carried.
        levels = 0
        for i, g in enumerate(self._cs):
            levels |= (_hw.pin_level(g) & 1) << i
        fmt = (self.polarity << 1) | self.phase | (self.bits << 2) | ((1 if self.firstbit == _LSB else 0) << 8)
        check(_w.spi_transfer(self._sck, self._mosi, self._miso, 0 if out is None else ptr(out), n,
                              0 if into is None else ptr(into), fill & 0xFF, fmt, levels))

    def write(self, buf):
        self._transfer(buf, None, len(buf))

    def read(self, nbytes, write=0x00):
        buf = bytearray(nbytes)
        self._transfer(None, buf, nbytes, write)
        return bytes(buf)

    def readinto(self, buf, write=0x00):
        self._transfer(None, buf, len(buf), write)

    def write_readinto(self, write_buf, read_buf):
        if len(write_buf) != len(read_buf):
            raise ValueError("buffers must be the same length")
        self._transfer(write_buf, read_buf, len(write_buf))


class SPI(_SPIBase):
    def __init__(self, id, baudrate=_HW_BAUDRATE, *, polarity=0, phase=0, bits=8, firstbit=_MSB, sck=None, mosi=None, miso=None):
        pins = bus_pins("spi", id)
        sck = pins[0] if sck is None else gpio(sck)
        mosi = pins[1] if mosi is None else gpio(mosi)
        miso = pins[2] if miso is None else gpio(miso)
        if RP2:
            # RP2040 pin functions: SPI0 on GP0-7/16-23, SPI1 on GP8-15/24-29; SCK = 2 mod 4, MOSI = 3, MISO = 0.
            for pin, rest, what in ((sck, 2, "SCK"), (mosi, 3, "MOSI"), (miso, 0, "MISO")):
                if pin & 3 != rest or (pin >> 3) & 1 != id:
                    raise ValueError("bad %s pin" % what)
        self._id = id
        self._pins(sck, mosi, miso)
        self.init(baudrate, polarity=polarity, phase=phase, bits=bits, firstbit=firstbit)

    def init(self, baudrate=_HW_BAUDRATE, *, polarity=0, phase=0, bits=8, firstbit=_MSB):
        if RP2 and firstbit == _LSB:
            raise NotImplementedError("LSB")
        self._format(baudrate, polarity, phase, bits, firstbit)

    def __repr__(self):
        if RP2:
            return "SPI(%d, baudrate=%d, polarity=%d, phase=%d, bits=%d, sck=%d, mosi=%d, miso=%d)" % (
                self._id, self.baudrate, self.polarity, self.phase, self.bits, self._sck, self._mosi, self._miso)
        return "SPI(id=%d, baudrate=%d, polarity=%d, phase=%d, bits=%d, firstbit=%d, sck=%d, mosi=%d, miso=%d)" % (
            self._id, self.baudrate, self.polarity, self.phase, self.bits, self.firstbit, self._sck, self._mosi, self._miso)


class SoftSPI(_SPIBase):
    def __init__(self, baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=_MSB, sck=None, mosi=None, miso=None):
        if sck is None or mosi is None or miso is None:
            raise ValueError("must specify all of sck/mosi/miso")
        self._pins(gpio(sck), gpio(mosi), gpio(miso))
        self.init(baudrate, polarity=polarity, phase=phase, bits=bits, firstbit=firstbit)

    def init(self, baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=_MSB):
        self._format(baudrate, polarity, phase, bits, firstbit)

    def __repr__(self):
        return "SoftSPI(baudrate=%d, polarity=%d, phase=%d, sck=%d, mosi=%d, miso=%d)" % (
            self.baudrate, self.polarity, self.phase, self._sck, self._mosi, self._miso)
