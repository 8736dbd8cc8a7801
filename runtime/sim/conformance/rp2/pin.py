# rp2 quick reference (docs/rp2/quickref.rst): Pin.toggle(); a pin number
# the RP2040 lacks raises ValueError.
from machine import Pin

p = Pin(4, Pin.OUT, value=0)
p.toggle()
print(p.value())
p.toggle()
print(p.value())
try:
    Pin(30)
except ValueError as e:
    print("ValueError:", e)
