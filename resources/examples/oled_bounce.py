# title: Bouncing ball
# about: Animate a ball that bounces off the edges of a 128x64 OLED display.
# needs: lib/ssd1306.py
# lesson: 7
#
# Wiring: as in "Hello on an OLED screen".
import time
from machine import I2C
from ssd1306 import SSD1306_I2C

i2c = I2C(0, freq=400_000)  # bus 0, on the board's usual I2C pins
oled = SSD1306_I2C(128, 64, i2c)

SIZE = 6  # the ball is a 6x6 square
x, y = 10, 20  # its top-left corner
dx, dy = 3, 2  # how far it moves each frame

while True:
    # Move, and turn around at the walls (the frame is 1 pixel thick).
    x += dx
    y += dy
    if x <= 1 or x + SIZE >= 127:
        dx = -dx
        x = max(1, min(x, 127 - SIZE))
    if y <= 1 or y + SIZE >= 63:
        dy = -dy
        y = max(1, min(y, 63 - SIZE))

    # Draw a whole new frame each time: clear, frame, ball, show.
    oled.fill(0)
    oled.rect(0, 0, 128, 64, 1)
    oled.fill_rect(x, y, SIZE, SIZE, 1)
    oled.show()
    print("ball", x, y)
    time.sleep_ms(30)  # about 30 frames a second
