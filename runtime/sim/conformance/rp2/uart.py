# rp2 UART (docs/rp2/quickref.rst, "UART (serial bus)"; ports/rp2 machine_uart):
# two UARTs, UART1 on GP4/GP5 by default; TX and RX only on the pins the
# RP2040 routes to that UART; timeout_char is never below one character
# (13 bits) in ms; the repr ends with the line inversion.
from machine import UART, Pin

u = UART(1)
print(u)
u.init(9600, invert=UART.INV_TX)
print(u)
print(UART(1, tx=Pin(8), rx=Pin(9)))
for tx, rx in ((3, 5), (4, 6)):
    try:
        UART(1, tx=Pin(tx), rx=Pin(rx))
    except ValueError as e:
        print("ValueError:", e)
try:
    UART(2)
except ValueError as e:
    print("ValueError:", e)
