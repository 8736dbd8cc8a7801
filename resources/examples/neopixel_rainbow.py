# title: NeoPixel rainbow
# about: Run a rainbow along a strip of 8 NeoPixel (WS2812) RGB LEDs.
# lesson: 8
#
# Wiring: the strip's DIN to GP22 (Pico) or GPIO 22 (ESP32), its 5V to VBUS
# (Pico) or 5V (ESP32), and GND to GND.
import time
from machine import Pin
import neopixel

COUNT = 8
strip = neopixel.NeoPixel(Pin(22), COUNT)

# Keep them dim: full brightness is blinding and draws a lot of current.
BRIGHTNESS = 0.2


def wheel(pos):
    # A colour wheel: 0..255 goes red -> green -> blue -> back to red.
    pos = pos % 256
    if pos < 85:
        return (255 - pos * 3, pos * 3, 0)
    if pos < 170:
        pos -= 85
        return (0, 255 - pos * 3, pos * 3)
    pos -= 170
    return (pos * 3, 0, 255 - pos * 3)


offset = 0
while True:
    for i in range(COUNT):
        r, g, b = wheel(offset + i * 256 // COUNT)  # spread the rainbow along the strip
        strip[i] = (int(r * BRIGHTNESS), int(g * BRIGHTNESS), int(b * BRIGHTNESS))
    strip.write()  # nothing changes on the LEDs until write()
    offset = (offset + 4) % 256
    time.sleep_ms(40)
