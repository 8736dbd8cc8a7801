// What a new, empty project shows, so a beginner can press Run straight away.

export const STARTER_PROGRAM = `# Welcome to Mote Studio!
# Press F5 (or the Run button) to run this on the simulated board,
# and watch the green LED on the board picture blink.
from machine import Pin
import time

led = Pin(25, Pin.OUT)       # the onboard LED
button = Pin(14, Pin.IN, Pin.PULL_UP)   # BUTTON reads 0 while pressed

for i in range(10):
    led.value(1)
    time.sleep(0.25)
    led.value(0)
    time.sleep(0.25)
    if button.value() == 0:
        print("Button pressed!")

print("Done")
`;
