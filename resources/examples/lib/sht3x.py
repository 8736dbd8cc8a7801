# A small driver for Sensirion SHT3x temperature and humidity sensors (SHT30,
# SHT31, SHT35) on I2C, written by Mote Studio from the sensor's datasheet.
#
# Usage:
#     from machine import Pin, I2C
#     from sht3x import SHT3x
#     sensor = SHT3x(I2C(0, scl=Pin(9), sda=Pin(8)))
#     temperature, humidity = sensor.measure()  # degrees C, % relative humidity
import time

# Commands are 16 bits, sent most significant byte first.
MEASURE_HIGH = b"\x24\x00"  # single shot, high repeatability, no clock stretching
SOFT_RESET = b"\x30\xa2"
READ_STATUS = b"\xf3\x2d"
CLEAR_STATUS = b"\x30\x41"

# The datasheet gives 15.5 ms at most for a high-repeatability measurement.
MEASURE_MS = 16


def crc8(data):
    # Every 16-bit word the sensor sends is followed by this checksum:
    # polynomial x^8 + x^5 + x^4 + 1 (0x31), starting from 0xFF.
    crc = 0xFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


class SHT3x:
    def __init__(self, i2c, addr=0x44):
        # 0x44 when the ADDR pin is low (most modules), 0x45 when it is high.
        self.i2c = i2c
        self.addr = addr

    def _words(self, count):
        # Reads `count` 16-bit words, checking each one's CRC byte.
        data = self.i2c.readfrom(self.addr, 3 * count)
        words = []
        for i in range(0, 3 * count, 3):
            if crc8(data[i : i + 2]) != data[i + 2]:
                raise OSError("SHT3x: CRC mismatch (a noisy or loose I2C wire?)")
            words.append(data[i] << 8 | data[i + 1])
        return words

    def measure(self):
        # Returns (temperature in degrees C, relative humidity in %).
        self.i2c.writeto(self.addr, MEASURE_HIGH)
        time.sleep_ms(MEASURE_MS)
        raw_t, raw_rh = self._words(2)
        # The datasheet's conversion formulas (section 4.13).
        temperature = -45 + 175 * raw_t / 65535
        humidity = 100 * raw_rh / 65535
        return temperature, humidity

    def status(self):
        # The 16-bit status register (alert, heater and reset flags).
        self.i2c.writeto(self.addr, READ_STATUS)
        return self._words(1)[0]

    def reset(self):
        self.i2c.writeto(self.addr, SOFT_RESET)
        time.sleep_ms(2)  # the sensor needs at most 1.5 ms to restart
