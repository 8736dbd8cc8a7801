# title: Read a knob with the plotter
# about: Read a potentiometer on an analog (ADC) pin and print the values so the plotter draws them.
# lesson: 5
#
# Wiring: a potentiometer's outer pins to 3V3 and GND, its middle pin to GP26
# (Pico) or GPIO 34 (ESP32). In the simulator, move that pin's slider in the
# board view. Open the plotter: each printed tuple like (1234, 0.06) is one
# point on each of its lines.
import sys
import time
from machine import ADC, Pin

pot = ADC(Pin(34 if sys.platform == "esp32" else 26))

while True:
    raw = pot.read_u16()  # 0..65535, whatever the board's real resolution
    volts = raw * 3.3 / 65535  # the pin measures 0 V .. 3.3 V
    print((raw, round(volts, 2)))
    time.sleep_ms(100)  # ten points a second
