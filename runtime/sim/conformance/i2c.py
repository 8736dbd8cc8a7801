# I2C (docs/library/machine.I2C.rst; docs/rp2/quickref.rst and
# docs/esp32/quickref.rst, "Hardware I2C bus"): scan lists the addresses that
# answer, here the workbench's OLED (0x3C) and SHT3x (0x44) on I2C 0; writeto
# returns the number of ACKs; talking to an address nobody answers raises
# OSError, EIO on rp2's hardware I2C and ENODEV on the esp32's; each port has
# two hardware buses.
from machine import I2C
import errno

i2c = I2C(0)
print(i2c.scan())
print(i2c.writeto(0x3C, b"\x00\xae\xaf"))
for attempt in (lambda: i2c.readfrom(0x50, 2), lambda: i2c.writeto(0x50, b"\x00")):
    try:
        attempt()
    except OSError as e:
        print("OSError", errno.errorcode[e.errno])
print(I2C(1).scan())
try:
    I2C(2)
except ValueError as e:
    print("ValueError:", e)
