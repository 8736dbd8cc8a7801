# title: Web request over Wi-Fi
# about: Join a Wi-Fi network and fetch a web page with an HTTP GET, using a plain socket.
# boards: pico-w, esp32-devkitc
# lesson: 12
#
# Change the three settings below. The simulated board joins any Wi-Fi name;
# it reaches your own computer (127.0.0.1) and your local network. To try it,
# start a small web server in a folder on your computer:
#     python3 -m http.server 8000
# On a real board, use your computer's address on your network instead of
# 127.0.0.1 (e.g. http://192.168.1.20:8000/).
import time
import network
import socket

WIFI_NAME = "MoteNet"
WIFI_PASSWORD = "micropython"
URL = "http://127.0.0.1:8000/"

# Join the Wi-Fi network as a station (STA_IF), like a phone does.
wlan = network.WLAN(network.STA_IF)
wlan.active(True)
wlan.connect(WIFI_NAME, WIFI_PASSWORD)
print("joining", WIFI_NAME, end="")
deadline = time.ticks_add(time.ticks_ms(), 15000)
while not wlan.isconnected():
    if time.ticks_diff(deadline, time.ticks_ms()) < 0:
        raise OSError("could not join the Wi-Fi network " + WIFI_NAME)
    print(".", end="")
    time.sleep_ms(250)
print("\nconnected, my address is", wlan.ifconfig()[0])

# Split the URL "http://host:port/path" into its parts.
parts = URL.split("/", 3)  # ["http:", "", "host:port", "path"]
host = parts[2]
path = "/" + (parts[3] if len(parts) > 3 else "")
port = 80
if ":" in host:
    host, port = host.split(":")
    port = int(port)

# Ask the network where the host is, then talk to it over TCP.
address = socket.getaddrinfo(host, port)[0][-1]
s = socket.socket()
s.settimeout(10)  # give up after 10 s of silence instead of waiting forever
s.connect(address)
# An HTTP request is plain text. HTTP/1.0 asks the server to close the
# connection after its answer, so we know when the answer is complete.
s.send(("GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" % (path, host)).encode())
reply = b""
while True:
    chunk = s.recv(512)
    if not chunk:  # an empty chunk: the server closed the connection
        break
    reply += chunk
s.close()

# The answer: a status line, header lines, an empty line, then the page itself.
end_of_headers = reply.find(b"\r\n\r\n")
status = reply[: reply.find(b"\r\n")].decode()
body = reply[end_of_headers + 4 :]
print("status:", status)
print("page:", body.decode())
