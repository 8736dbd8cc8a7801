# machine.Pin (docs/library/machine.Pin.rst): output levels, value() and
# __call__, on/off, value= at construction, pulls, irq(), bad arguments.
from machine import Pin

p = Pin(13, Pin.OUT)
p.value(1)
print(p.value())
p.off()
print(p.value())
p.on()
print(p())
p(0)
print(p.value())
print(Pin(15, Pin.OUT, value=1).value())
i = Pin(12, Pin.IN, Pin.PULL_UP)
print(i.value())
i.init(Pin.IN, Pin.PULL_DOWN)
print(i.value())
print(len({Pin.IN, Pin.OUT, Pin.OPEN_DRAIN}), Pin.PULL_UP != Pin.PULL_DOWN, Pin.IRQ_RISING != Pin.IRQ_FALLING)
irq = i.irq(handler=lambda pin: None, trigger=Pin.IRQ_RISING)
print(irq is not None)
i.irq(handler=None)
try:
    Pin(13, 99)
except ValueError:
    print("ValueError")
try:
    Pin(200)
except ValueError:
    print("ValueError")
