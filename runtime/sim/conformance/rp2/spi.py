# rp2 SPI (docs/rp2/quickref.rst, "Hardware SPI bus"; docs/library/machine.SPI.rst)
# against the workbench's W25Q16JV flash on SPI 0 (chip select GP5, or GP17
# on a Pico W whose GP5 carries I2C): JEDEC ID 0xEF 0x40 0x15 and a clear
# status register per the W25Q16JV datasheet; write_readinto returns None;
# read(n, write) clocks out `write`. The RP2040 has SPI 0 and 1.
from machine import SPI, Pin
import sys

spi = SPI(0)
cs = Pin(17 if "Pico W" in sys.implementation._machine else 5, Pin.OUT, value=1)
cs(0)
spi.write(b"\x9f")
print(spi.read(3))
cs(1)
buf = bytearray(4)
cs(0)
print(spi.write_readinto(b"\x9f\x00\x00\x00", buf), buf)
cs(1)
cs(0)
spi.write(b"\x05")
print(spi.read(1, 0xFF))
cs(1)
try:
    SPI(2)
except ValueError as e:
    print("ValueError:", e)
