# esp32 SPI (docs/esp32/quickref.rst, "Hardware SPI bus"; docs/library/machine.SPI.rst)
# against the workbench's W25Q16JV flash on SPI 1 (HSPI: SCK 14, MOSI 13,
# MISO 12) with chip select GPIO 5: JEDEC ID 0xEF 0x40 0x15 and a clear
# status register per the W25Q16JV datasheet; write_readinto returns None;
# read(n, write) clocks out `write`. The ESP32 has SPI 1 and 2 (0 is the flash chip's).
from machine import SPI, Pin

spi = SPI(1)
cs = Pin(5, Pin.OUT, value=1)
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
    SPI(0)
except ValueError as e:
    print("ValueError:", e)
