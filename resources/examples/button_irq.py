# title: Button with an interrupt
# about: Press the button to switch the LED on or off; an interrupt (IRQ) notices each press at once.
# lesson: 2
#
# Wiring on a Pico: a push button between GP14 and GND. An ESP32 DevKitC
# already has one: its BOOT button is on GPIO 0. In the simulator, click the
# button in the board view.
import sys
import time
from machine import Pin

if sys.platform == "esp32":
    led = Pin(2, Pin.OUT)
    BUTTON_PIN = 0
else:
    led = Pin("LED", Pin.OUT)
    BUTTON_PIN = 14

# PULL_UP keeps the pin at 1 while the button is up; pressing it connects the
# pin to GND, so the level falls to 0. That change is a "falling edge".
button = Pin(BUTTON_PIN, Pin.IN, Pin.PULL_UP)

presses = 0
last_press = None  # no press yet


def on_press(pin):
    # The board calls this function by itself when the edge happens, whatever
    # the main program is doing. Keep interrupt handlers short.
    global presses, last_press
    now = time.ticks_ms()
    # A real button "bounces": it opens and closes a few times within a few
    # milliseconds. Ignore presses that come too soon after the last one.
    if last_press is not None and time.ticks_diff(now, last_press) < 50:
        return
    last_press = now
    presses += 1
    led.toggle()
    print("pressed", presses, "LED on" if led.value() else "LED off")


button.irq(trigger=Pin.IRQ_FALLING, handler=on_press)
print("Press the button...")

# The main program is free to do other things; here it just waits.
while True:
    time.sleep(1)
