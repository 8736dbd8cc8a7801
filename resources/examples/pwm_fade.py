# title: PWM fade
# about: Make an LED glow brighter and dimmer smoothly with PWM (pulse-width modulation).
# lesson: 3
#
# Wiring: an LED and a 330 ohm resistor in series from GP15 (Pico) or
# GPIO 15 (ESP32) to GND. The simulator shows the LED's brightness.
#
# PWM switches the pin on and off very fast (1000 times a second here). The
# share of time it is on, the "duty cycle", sets how bright the LED looks.
import time
from machine import Pin, PWM

led = PWM(Pin(15), freq=1000)

STEP = 2048  # how much brighter each step is; 32 steps from off to full

while True:
    # duty_u16 goes from 0 (always off) to 65535 (always on).
    for duty in range(0, 65536, STEP):
        led.duty_u16(duty)
        time.sleep_ms(20)
    for duty in range(65535, -1, -STEP):
        led.duty_u16(duty)
        time.sleep_ms(20)
