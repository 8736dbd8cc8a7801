# Blink the on-board LED: the first program for a new board.
# Press F5 (or Run) to run it, Shift+F5 (or Stop) to stop it.
from machine import Pin
import time

led = Pin("LED", Pin.OUT)

while True:
    led.toggle()
    time.sleep(0.5)
