# machine.PWM (docs/library/machine.PWM.rst): freq, duty_u16 and duty_ns
# describe the same pulse; deinit stops it and init starts it again.
from machine import Pin, PWM

pwm = PWM(Pin(15), freq=1000, duty_u16=32768)
print(pwm.freq(), pwm.duty_u16(), pwm.duty_ns())
pwm.duty_ns(250_000)
print(pwm.duty_u16(), pwm.duty_ns())
pwm.freq(500)
print(pwm.freq())
pwm.duty_u16(65535)
print(pwm.duty_u16())
pwm.deinit()
pwm.init(freq=2000, duty_u16=0)
print(pwm.freq(), pwm.duty_u16())
pwm.deinit()
try:
    PWM(Pin(15), duty_u16=65536)
except ValueError:
    print("ValueError")
