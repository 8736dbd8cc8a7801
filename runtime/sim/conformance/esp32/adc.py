# esp32 ADC (docs/esp32/quickref.rst): ADC(Pin(32)); read() is 0..4095,
# read_u16() 0..65535, read_uv() microvolts; a pin without ADC raises.
from machine import ADC, Pin

a = ADC(Pin(32))
print(0 <= a.read() <= 4095, 0 <= a.read_u16() <= 65535, a.read_uv() >= 0)
try:
    ADC(Pin(5))
except ValueError:
    print("ValueError")
