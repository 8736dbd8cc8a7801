# machine.RTC (docs/library/machine.RTC.rst) and the time functions that
# read it (docs/library/time.rst): datetime tuples are (year, month, day,
# weekday, hours, minutes, seconds, subseconds), weekday 0 is Monday;
# time.localtime() gives (year, month, mday, hour, minute, second, weekday, yearday).
from machine import RTC
import time

rtc = RTC()
rtc.datetime((2025, 12, 25, 0, 8, 30, 0, 0))
d = rtc.datetime()
print(d[:3], d[3], d[4:6])
t = time.localtime()
print(t[:5], t[6], t[7])
print(time.mktime((2000, 1, 1, 0, 0, 0, 0, 0)))
print(time.localtime(946684800))
print(type(time.time()) is int)
