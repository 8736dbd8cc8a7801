# machine.Timer (docs/library/machine.Timer.rst): PERIODIC calls back every
# period until deinit(); ONE_SHOT once; freq= is the other way to give it.
# rp2 has virtual timers (id -1); esp32 hardware timers 0..3.
from machine import Timer
import sys
import time

tid = 0 if sys.platform == "esp32" else -1
calls = []
t = Timer(tid)
t.init(period=20, mode=Timer.PERIODIC, callback=lambda tm: calls.append(tm))
time.sleep_ms(110)
t.deinit()
n = len(calls)
print(4 <= n <= 6, calls[0] is t)
time.sleep_ms(60)
print(len(calls) == n)
once = []
t.init(period=10, mode=Timer.ONE_SHOT, callback=lambda tm: once.append(1))
time.sleep_ms(60)
print(len(once))
ticks = []
t.init(freq=100, callback=lambda tm: ticks.append(1))
time.sleep_ms(55)
t.deinit()
print(4 <= len(ticks) <= 6)
