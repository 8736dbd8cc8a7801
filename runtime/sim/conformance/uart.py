# machine.UART (docs/library/machine.UART.rst) on UART 1, whose TX the
# simulated workbench wires to its RX: write returns the bytes written,
# readline stops after the newline, read returns None when nothing comes
# within the timeout, readinto fills the buffer, any counts what waits, and
# flush returns once everything is sent.
from machine import UART
import time

u = UART(1, baudrate=9600, timeout=100, timeout_char=10)
print(u.write(b"hello\n"))
print(u.readline())
print(u.any(), u.read())
buf = bytearray(3)
u.write(b"abc")
print(u.readinto(buf), buf)
u.write(b"xyz")
u.flush()
time.sleep_ms(5)
print(u.any(), u.txdone())
print(u.read(2), u.read(1))
u.deinit()
