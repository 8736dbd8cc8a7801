# rp2 ADC (docs/rp2/quickref.rst, machine.ADC.rst): ADC(26), ADC(Pin(26)) and
# ADC(0) are the same input; read_u16() is 0..65535; channel 4 is the core
# temperature sensor; other pins raise ValueError.
from machine import ADC, Pin

a = ADC(Pin(26))
v = a.read_u16()
print(0 <= v <= 65535, v == ADC(26).read_u16() == ADC(0).read_u16())
t = ADC(ADC.CORE_TEMP).read_u16()
print(0 < t < 65535)
try:
    ADC(Pin(2))
except ValueError:
    print("ValueError")
