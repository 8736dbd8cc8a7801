// network.WLAN on the simulated board (rp2 profile), checked against the
// MicroPython documentation of network.WLAN and the rp2 port's constants.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ESP32_DEVKITC } from '../../common/profiles/esp32-devkitc.js';
import { startTestBoard, type TestBoard } from '../sim-test-kit.js';

let tb: TestBoard;
beforeAll(async () => {
  tb = await startTestBoard();
});
afterAll(() => tb.close());

it('joins any access point: IDLE, then CONNECTING, then GOT_IP with a private address', async () => {
  const r = await tb.exec(`import network, time
w = network.WLAN(network.STA_IF)
print(w.active(), w.isconnected(), w.status() == network.STAT_IDLE, w.ifconfig()[0])
w.active(True)
w.connect('AnyNetwork', 'any password')
print(w.status() == network.STAT_CONNECTING, w.isconnected())
t0 = time.ticks_ms()
while not w.isconnected():
    time.sleep_ms(10)
print(time.ticks_diff(time.ticks_ms(), t0) < 1000, w.status() == network.STAT_GOT_IP, w.status())
ip, mask, gw, dns = w.ifconfig()
print(ip.startswith('192.168.4.'), mask, gw, dns)
print(w.ipconfig('addr4') == (ip, mask), w.config('essid'), w.status('rssi') < 0)
print(network.WLAN(network.STA_IF).isconnected())
w.disconnect()
print(w.isconnected(), w.status() == network.STAT_IDLE)`);
  expect(r.err).toBe('');
  expect(r.out).toBe(
    'False False True 0.0.0.0\nTrue False\nTrue True 3\nTrue 255.255.255.0 192.168.4.1 192.168.4.1\nTrue AnyNetwork True\nTrue\nFalse True\n',
  );
});

it('reports a MAC, scans a simulated access point, and keeps hostname and country', async () => {
  const r = await tb.exec(`import network
w = network.WLAN(network.STA_IF)
w.active(True)
mac = w.config('mac')
print(type(mac), len(mac), mac[:3] == b'\\x28\\xcd\\xc1')
nets = w.scan()
ssid, bssid, channel, rssi, security, hidden = nets[0]
print(ssid, len(bssid), channel, rssi < 0, hidden)
print(network.hostname())
network.hostname('greenhouse')
print(network.hostname(), w.config('hostname'))
network.country('GB')
print(network.country())
try:
    w.config('nonsense')
except ValueError as e:
    print('ValueError', e)
print(network.STAT_WRONG_PASSWORD, network.STAT_NO_AP_FOUND, network.STAT_CONNECT_FAIL)
ap = network.WLAN(network.AP_IF)
ap.active(True)
ap.config(essid='MyBoard', password='12345678')
print(ap.config('essid'), ap.ifconfig()[0], ap.isconnected())`);
  expect(r.err).toBe('');
  expect(r.out).toBe(
    "<class 'bytes'> 6 True\nb'Mote-Sim-AP' 6 6 True False\nPicoW\ngreenhouse greenhouse\nGB\nValueError unknown config param\n-3 -2 -1\nMyBoard 192.168.4.1 False\n",
  );
});

it('ntptime gives the host clock once the board is on the network', async () => {
  const r = await tb.exec(`import network, ntptime, time
w = network.WLAN(network.STA_IF)
w.disconnect()
try:
    ntptime.time()
except OSError as e:
    print('offline', e.args[0])
w.active(True)
w.connect('NTP', '')
while not w.isconnected():
    time.sleep_ms(10)
print(ntptime.time())
ntptime.settime()
print(ntptime.host)`);
  expect(r.err).toBe('');
  const [offline, t, host] = r.out.trim().split('\n');
  expect(offline).toBe('offline -2');
  expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(5);
  expect(host).toBe('pool.ntp.org');
});

it('follows the esp32 port on the ESP32 profile: its constants, its errors, its MAC', async () => {
  const esp = await startTestBoard({ profile: ESP32_DEVKITC });
  try {
    const r = await esp.exec(`import network, socket, time
w = network.WLAN(network.STA_IF)
try:
    w.connect('x', 'y')
except OSError as e:
    print(e)
try:
    socket.getaddrinfo('example.com', 80)
except OSError as e:
    print(e.args[0])
w.active(True)
w.connect('x', 'y')
while w.status() == network.STAT_CONNECTING:
    time.sleep_ms(10)
print(w.status(), network.STAT_GOT_IP, network.STAT_IDLE, network.STAT_WRONG_PASSWORD, network.STAT_NO_AP_FOUND)
print(w.config('mac')[:3] == b'\\x24\\x0a\\xc4', network.hostname(), network.AUTH_WPA2_PSK)`);
    expect(r.err).toBe('');
    expect(r.out).toBe('Wifi Not Started\n-202\n1010 1010 1000 202 201\nTrue mpy-esp32 3\n');
  } finally {
    await esp.close();
  }
});
