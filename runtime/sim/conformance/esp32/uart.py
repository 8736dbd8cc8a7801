# esp32 UART (docs/esp32/quickref.rst, "UART (serial bus)"; ports/esp32
# machine_uart): three UARTs; UART1 on GPIO 10/9 and UART2 on 17/16 by
# default; UART0 is the REPL's, so what is written to it shows in the
# terminal; any GPIO may be TX or RX; the repr shows the flow-control pins.
from machine import UART, Pin

print(UART(1))
print(UART(2, 9600, tx=Pin(4), rx=Pin(5)))
print(UART(0).write(b"on the REPL\n"))
try:
    UART(3)
except ValueError as e:
    print("ValueError:", e)
