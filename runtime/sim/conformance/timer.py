# machine.Timer (docs/library/machine.Timer.rst): PERIODIC calls back every
# period, with the timer as argument, until deinit(); ONE_SHOT calls once;
# freq= is the other way to give the period. rp2 has virtual timers (id -1),
# esp32 hardware timers 0..3. (How punctual the calls are is measured by the
# unit tests and bench/sim, not here: it depends on the host's load.)
from machine import Timer
import sys
import time

tid = 0 if sys.platform == "esp32" else -1
calls = []
t = Timer(tid)
t0 = time.ticks_ms()
t.init(period=20, mode=Timer.PERIODIC, callback=lambda tm: calls.append(tm))
time.sleep_ms(110)
slept = time.ticks_diff(time.ticks_ms(), t0)
t.deinit()
n = len(calls)
print(2 <= n <= slept // 20 + 1, calls[0] is t)
time.sleep_ms(60)
print(len(calls) == n)
once = []
t.init(period=10, mode=Timer.ONE_SHOT, callback=lambda tm: once.append(1))
time.sleep_ms(60)
print(len(once))
ticks = []
t0 = time.ticks_ms()
t.init(freq=100, callback=lambda tm: ticks.append(1))
time.sleep_ms(55)
slept = time.ticks_diff(time.ticks_ms(), t0)
t.deinit()
print(2 <= len(ticks) <= slept // 10 + 1)
