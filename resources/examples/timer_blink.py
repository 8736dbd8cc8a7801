# title: Blink with a timer
# about: Let a timer blink the LED in the background while the main program does something else.
# lesson: 10
import sys
import time
from machine import Pin, Timer

if sys.platform == "esp32":
    led = Pin(2, Pin.OUT)  # wire an LED to GPIO 2, as in "Blink"
    blinker = Timer(0)  # an ESP32 has hardware timers 0 to 3
else:
    led = Pin("LED", Pin.OUT)
    blinker = Timer()  # a Pico makes as many software timers as you need


def tick(timer):
    # Called by the timer 4 times a second, between the main program's steps.
    led.toggle()


# PERIODIC: call tick every 250 ms until we stop it (ONE_SHOT would call it once).
blinker.init(period=250, mode=Timer.PERIODIC, callback=tick)

# Meanwhile the main program counts seconds, never thinking about the LED.
seconds = 0
try:
    while True:
        time.sleep(1)
        seconds += 1
        print("main program still free after", seconds, "s")
finally:
    blinker.deinit()  # stop the timer, or it keeps blinking after the program ends
