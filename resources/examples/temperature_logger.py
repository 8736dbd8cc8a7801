# title: Temperature logger
# about: Measure temperature and humidity every 2 seconds and add each reading to a CSV file on the board.
# needs: lib/sht3x.py
# lesson: 9
#
# Wiring: an SHT30/SHT31 sensor board's VIN to 3V3, GND to GND, and SDA and
# SCL to the board's I2C 0 pins, as in "Hello on an OLED screen". In the
# simulator, set the temperature and humidity with the sliders.
#
# The file, temperature.csv, stays on the board's flash after the program
# stops: open it from the board files panel, or download it into the project.
# On a real board, log less often (say once a minute): flash wears out after
# many thousands of writes.
import os
import time
from machine import I2C
from sht3x import SHT3x

FILE = "temperature.csv"
EVERY_MS = 2000

i2c = I2C(0)  # bus 0, on the board's usual I2C pins
sensor = SHT3x(i2c)  # the sensor answers at I2C address 0x44

# A new file starts with a header line naming the columns.
try:
    os.stat(FILE)
except OSError:
    with open(FILE, "w") as f:
        f.write("seconds,temperature_c,humidity_percent\n")

start = time.ticks_ms()
while True:
    temperature, humidity = sensor.measure()
    seconds = time.ticks_diff(time.ticks_ms(), start) // 1000
    line = "%d,%.2f,%.1f" % (seconds, temperature, humidity)
    # Open, add one line, close: if the power goes, at most one line is lost.
    with open(FILE, "a") as f:
        f.write(line + "\n")
    print(line)  # the plotter draws these numbers too
    time.sleep_ms(EVERY_MS)
