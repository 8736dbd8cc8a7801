# neopixel.NeoPixel for the simulated board: a strip of WS2812 LEDs driven
# with machine.bitstream, as on a board; the simulator draws what it receives.
from machine import bitstream
import _mote_hw


class NeoPixel:
    # Where each of R, G, B (and W) goes in a LED's bytes: WS2812 wants G, R, B.
    ORDER = (1, 0, 2, 3)

    def __init__(self, pin, n, bpp=3, timing=1):
        self.pin = pin
        self.n = n
        self.bpp = bpp
        self.buf = bytearray(n * bpp)
        self.pin.init(pin.OUT)
        if timing == 1:
            self.timing = (400, 850, 800, 450)  # 800 kHz
        elif timing == 0:
            self.timing = (800, 1700, 1600, 900)  # 400 kHz
        else:
            self.timing = timing
        _mote_hw.strip_bpp(pin._id, bpp)

    def __len__(self):
        return self.n

    def __setitem__(self, i, v):
        at = i * self.bpp
        for k in range(self.bpp):
            self.buf[at + self.ORDER[k]] = v[k]

    def __getitem__(self, i):
        at = i * self.bpp
        return tuple(self.buf[at + self.ORDER[k]] for k in range(self.bpp))

    def fill(self, v):
        b = self.buf
        for k in range(self.bpp):
            c = v[k]
            for at in range(self.ORDER[k], len(b), self.bpp):
                b[at] = c

    def write(self):
        bitstream(self.pin, 0, self.timing, self.buf)
