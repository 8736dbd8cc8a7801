# title: Servo sweep
# about: Swing a hobby servo from 0 to 180 degrees and back, set by the width of a 50 Hz pulse.
# lesson: 4
#
# Wiring: the servo's signal wire (yellow or orange) to GP16 (Pico) or
# GPIO 16 (ESP32), its red wire to 5 V (VBUS on a Pico) and its brown or
# black wire to GND.
import time
from machine import Pin, PWM

servo = PWM(Pin(16), freq=50)  # a servo expects one pulse every 20 ms

# Most servos: a 0.5 ms pulse means 0 degrees, 2.5 ms means 180 degrees.
MIN_NS = 500_000
MAX_NS = 2_500_000


def set_angle(degrees):
    pulse = MIN_NS + (MAX_NS - MIN_NS) * degrees // 180
    servo.duty_ns(pulse)  # the pulse width in nanoseconds


while True:
    for angle in range(0, 181, 10):
        set_angle(angle)
        print("angle", angle)
        time.sleep_ms(100)
    for angle in range(170, 0, -10):
        set_angle(angle)
        print("angle", angle)
        time.sleep_ms(100)
