# machine.Signal (docs/library/machine.Signal.rst): an inverted signal is
# "active" at the low level; Signal(pin_arguments..., invert=) builds its Pin.
from machine import Pin, Signal

led = Signal(Pin(13, Pin.OUT), invert=True)
led.on()
print(Pin(13).value(), led.value())
led.off()
print(Pin(13).value(), led.value())
led.value(1)
print(led())
s = Signal(12, Pin.OUT)
s.on()
print(Pin(12).value(), s.value())
s.off()
print(Pin(12).value())
