# SPI (docs/library/machine.SPI.rst; docs/rp2/quickref.rst and
# docs/esp32/quickref.rst, "Hardware SPI bus") against the workbench's
# W25Q16JV flash: JEDEC ID 0xEF 0x40 0x15 and a clear status register per the
# W25Q16JV datasheet; write_readinto returns None; read(n, write) clocks out
# `write`. The flash sits on the lowest hardware bus: SPI 0 on rp2 (chip
# select GP5, or GP17 on a Pico W whose GP5 carries I2C), SPI 1 (HSPI) on the
# esp32 with chip select GPIO 5. The RP2040 has SPI 0 and 1; the ESP32 1 and
# 2 (0 is its flash chip's).
from machine import SPI, Pin
import sys

rp2 = sys.platform == "rp2"
spi = SPI(0 if rp2 else 1)
cs = Pin(17 if rp2 and "Pico W" in sys.implementation._machine else 5, Pin.OUT, value=1)
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
    SPI(2 if rp2 else 0)
except ValueError as e:
    print("ValueError:", e)
