# Mote fleet OTA agent for MicroPython. Protocol: ota/PROTOCOL.md.
