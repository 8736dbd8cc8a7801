# title: Blink
# about: Turn the on-board LED on and off twice a second: the first program for a new board.
# lesson: 1
#
# Press F5 (or Run) to run it, Shift+F5 (or Stop) to stop it.
import sys
import time
from machine import Pin

# Pin.OUT makes the pin an output: our program decides its level.
# A Pico's LED is called "LED". An ESP32 DevKitC has no LED of its own:
# wire one (with a 330 ohm resistor in series) from GPIO 2 to GND.
if sys.platform == "esp32":
    led = Pin(2, Pin.OUT)
else:
    led = Pin("LED", Pin.OUT)

while True:
    led.toggle()  # on becomes off, off becomes on
    time.sleep(0.5)  # wait half a second
