# title: Hello on an OLED screen
# about: Write text and draw shapes on a 128x64 SSD1306 OLED display over I2C.
# needs: lib/ssd1306.py
# lesson: 6
#
# Wiring: the display's VCC to 3V3, GND to GND, and its SDA and SCL to the
# board's I2C 0 pins: GP4 (SDA) and GP5 (SCL) on a Pico W, GPIO 19 (SDA) and
# GPIO 18 (SCL) on an ESP32. The board view shows the simulated board's
# wiring. The driver, lib/ssd1306.py, must be on the board: opening this
# example from the gallery copies it into your project and onto the board.
from machine import I2C
from ssd1306 import SSD1306_I2C

# I2C is a two-wire bus: many devices share it, each with its own address.
i2c = I2C(0, freq=400_000)  # bus 0, on the board's usual I2C pins
print("devices on the bus:", [hex(a) for a in i2c.scan()])  # the OLED is 0x3c

oled = SSD1306_I2C(128, 64, i2c)

# Drawing happens in the board's memory first...
oled.fill(0)  # 0 = pixel off, 1 = pixel on
oled.rect(0, 0, 128, 64, 1)  # a frame around the screen
oled.text("Hello, Mote!", 16, 12, 1)  # each letter is 8x8 pixels
oled.text("MicroPython", 20, 28, 1)
oled.hline(20, 40, 88, 1)
oled.fill_rect(56, 46, 16, 10, 1)
# ...and show() sends the whole picture to the display.
oled.show()
print("done")
