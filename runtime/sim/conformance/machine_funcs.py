# machine module functions (docs/library/machine.rst): unique_id() is bytes,
# freq() the CPU clock in Hz, reset_cause() one of the *_RESET constants,
# idle() and lightsleep(ms) return.
import machine
import time

print(type(machine.unique_id()) is bytes, len(machine.unique_id()) > 0)
print(type(machine.freq()) is int, machine.freq() > 1_000_000)
print(machine.reset_cause() in (machine.PWRON_RESET, machine.HARD_RESET, machine.WDT_RESET, machine.DEEPSLEEP_RESET, machine.SOFT_RESET))
machine.idle()
t = time.ticks_ms()
machine.lightsleep(20)
print(time.ticks_diff(time.ticks_ms(), t) >= 20)
