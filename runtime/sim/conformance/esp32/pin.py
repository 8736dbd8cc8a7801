# esp32 quick reference (docs/esp32/quickref.rst): pins 34-39 are input-only;
# pins the chip lacks raise ValueError.
from machine import Pin

print(Pin(34, Pin.IN).value() in (0, 1))
try:
    Pin(34, Pin.OUT)
except ValueError:
    print("ValueError")
try:
    Pin(24)
except ValueError:
    print("ValueError")
