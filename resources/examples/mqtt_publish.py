# title: MQTT publish
# about: Join Wi-Fi and publish a message to an MQTT broker every 2 seconds.
# boards: pico-w, esp32-devkitc
# needs: lib/umqtt/simple.py
# lesson: 13
#
# MQTT is how many devices report to a server: each message goes to a
# "broker" under a topic, and anyone subscribed to that topic receives it.
# Mote Studio already runs a broker on your computer (the Fleet view's, on
# port 1883), and programs may use it without a login, so this runs as it is.
# Without Mote Studio, run one yourself (for example mosquitto). To watch the
# messages, subscribe with any MQTT client:
#     mosquitto_sub -h 127.0.0.1 -t 'mote/#' -v
# The simulated board reaches your own computer (127.0.0.1) and your local
# network; on a real board, use your computer's address on your network.
import time
import binascii
import network
import machine
from umqtt.simple import MQTTClient

WIFI_NAME = "MoteNet"
WIFI_PASSWORD = "micropython"
BROKER = "127.0.0.1"
PORT = 1883
TOPIC = "mote/hello"

wlan = network.WLAN(network.STA_IF)
wlan.active(True)
wlan.connect(WIFI_NAME, WIFI_PASSWORD)
deadline = time.ticks_add(time.ticks_ms(), 15000)
while not wlan.isconnected():
    if time.ticks_diff(deadline, time.ticks_ms()) < 0:
        raise OSError("could not join the Wi-Fi network " + WIFI_NAME)
    time.sleep_ms(250)
print("connected, my address is", wlan.ifconfig()[0])

# Every client needs its own name: the board's unique id makes one.
client_id = "mote-" + binascii.hexlify(machine.unique_id()).decode()
client = MQTTClient(client_id, BROKER, port=PORT, keepalive=60)
client.connect()
print("connected to the broker at", BROKER, "as", client_id)

count = 0
try:
    while True:
        count += 1
        message = '{"count": %d, "uptime_ms": %d}' % (count, time.ticks_ms())
        client.publish(TOPIC, message)
        print("published", TOPIC, message)
        time.sleep(2)
finally:
    client.disconnect()  # say goodbye, so the broker knows we left on purpose
