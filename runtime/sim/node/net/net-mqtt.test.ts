// An MQTT client on the simulated board (resources/examples/lib/umqtt/simple.py,
// the umqtt.simple-compatible client the examples ship) against a real aedes
// broker, with a real mqtt.js client on the host on the other side.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findAppRoot } from '../../../node/app-root.js';
import { startTestBoard, type TestBoard } from '../sim-test-kit.js';
import { JOIN_WIFI } from './net-test-kit.js';

let broker: Aedes;
let server: net.Server;
let port = 0;
let tb: TestBoard;
let filesDir = '';

beforeAll(async () => {
  broker = await Aedes.createBroker();
  server = net.createServer((s) => broker.handle(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  // The client library goes into the board's /lib, as a user installs it.
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-net-mqtt-'));
  fs.mkdirSync(path.join(filesDir, 'lib', 'umqtt'), { recursive: true });
  fs.copyFileSync(path.join(findAppRoot(), 'resources', 'examples', 'lib', 'umqtt', 'simple.py'), path.join(filesDir, 'lib', 'umqtt', 'simple.py'));
  tb = await startTestBoard({ filesDir });
});

afterAll(async () => {
  await tb.close();
  await new Promise<void>((r) => broker.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));
  fs.rmSync(filesDir, { recursive: true, force: true });
});

it('publishes to and receives from a real broker with an unchanged umqtt.simple program', async () => {
  const host = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'host-side' });
  try {
    const fromBoard: string[] = [];
    host.on('message', (topic, payload) => fromBoard.push(`${topic} ${payload.toString()}`));
    await host.subscribeAsync('mote/board/#');
    // The host answers every "hello" with a "reply" the board waits for.
    host.on('message', (topic) => {
      if (topic === 'mote/board/hello') void host.publishAsync('mote/host/reply', 'hi board', { qos: 1 });
    });

    const r = await tb.exec(
      `${JOIN_WIFI}
from umqtt.simple import MQTTClient
got = []
c = MQTTClient('sim-board-1', '127.0.0.1', port=${port}, keepalive=30)
c.set_callback(lambda t, m: got.append((t, m)))
c.connect()
c.subscribe(b'mote/host/#', qos=1)
c.subscribe(b'mote/echo')
c.publish(b'mote/echo', b'to myself')
c.publish(b'mote/board/hello', b'{"n": 1}', qos=1)
t0 = time.ticks_ms()
while len(got) < 2 and time.ticks_diff(time.ticks_ms(), t0) < 5000:
    if c.check_msg() is None:
        time.sleep_ms(10)
c.disconnect()
for t, m in sorted(got):
    print(t, m)`,
      15000,
    );
    expect(r.err).toBe('');
    expect(r.out).toBe("b'mote/echo' b'to myself'\nb'mote/host/reply' b'hi board'\n");
    expect(fromBoard).toEqual(['mote/board/hello {"n": 1}']);
  } finally {
    await host.endAsync();
  }
});
