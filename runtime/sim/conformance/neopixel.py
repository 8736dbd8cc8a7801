# neopixel.NeoPixel (docs/library/neopixel.rst): a buffer of (r, g, b)
# tuples, fill() sets all, write() sends it to the strip.
from machine import Pin
from neopixel import NeoPixel

np = NeoPixel(Pin(16), 8)
print(len(np), np[0])
np[0] = (255, 0, 0)
np[3] = (125, 204, 223)
print(np[0], np[3])
np.fill((0, 0, 1))
print(np[7], np[0])
np.write()
w = NeoPixel(Pin(17), 2, bpp=4)
w[1] = (1, 2, 3, 4)
print(w[1], len(w.buf))
