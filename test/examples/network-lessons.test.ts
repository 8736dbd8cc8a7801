// The Wi-Fi lessons on the simulated board, against real servers on this
// machine: the web request answered by a node:http server, the MQTT publish
// received by a real aedes broker (and by the IDE's own embedded broker) and a
// real MQTT.js subscriber. The lessons'
// settings (URL, broker, port) are edited as a user would, to point at them.
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { FLEET_PREFIX } from '../../main/common/fleet-types.js';
import { EmbeddedBroker } from '../../ota/server/broker/embedded-broker.js';
import { ExampleBoard, exampleSource, withSetting } from './example-board.js';

const cleanups: Array<() => Promise<void> | void> = [];
let b: ExampleBoard | null = null;
afterEach(async () => {
  await b?.close();
  b = null;
  for (const c of cleanups.splice(0).reverse()) await c();
});

function listening(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

describe('web request over the simulated Wi-Fi', () => {
  for (const profile of ['pico-w', 'esp32-devkitc']) {
    it(`joins the access point and GETs the configured URL with a plain socket, printing the page (${profile})`, async () => {
      const requests: Array<{ method?: string; url?: string; host?: string; version: string }> = [];
      const server = http.createServer((req, res) => {
        requests.push({ method: req.method, url: req.url, host: req.headers.host, version: req.httpVersion });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('Hello from the host!');
      });
      const port = await listening(server);
      cleanups.push(() => new Promise<void>((r) => server.close(() => r())));

      b = await ExampleBoard.start(profile);
      await b.start('web_request', withSetting(exampleSource('web_request'), 'URL', `http://127.0.0.1:${port}/greeting.txt`));
      const r = await b.finished(15_000);
      expect(r.stderr.toString()).toBe('');
      expect(b.text).toMatch(/connected, my address is \d+\.\d+\.\d+\.\d+/);
      expect(requests).toEqual([{ method: 'GET', url: '/greeting.txt', host: '127.0.0.1', version: '1.0' }]);
      expect(b.text).toContain('status: HTTP/1.1 200 OK');
      expect(b.text).toContain('page: Hello from the host!');
    });
  }

  it('a server that is not there gives the OSError a board raises, not a hang', async () => {
    const server = net.createServer();
    const port = await listening(server);
    await new Promise<void>((r) => server.close(() => r()));
    b = await ExampleBoard.start('pico-w');
    await b.start('web_request', withSetting(exampleSource('web_request'), 'URL', `http://127.0.0.1:${port}/`));
    const r = await b.finished(15_000);
    expect(r.stderr.toString()).toMatch(/OSError: .*ECONNREFUSED|OSError: \[Errno 111\]/);
  });
});

/** A real MQTT.js subscriber (no login) on `filter`, keeping the lesson's mote/hello payloads; `twoMessages` settles at the second. */
async function helloSubscriber(port: number, filter: string): Promise<{ received: string[]; twoMessages: Promise<void> }> {
  const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'test-subscriber' });
  cleanups.push(() => subscriber.endAsync());
  await subscriber.subscribeAsync(filter);
  const received: string[] = [];
  const twoMessages = new Promise<void>((resolve) =>
    subscriber.on('message', (topic, payload) => {
      if (topic === 'mote/hello') received.push(payload.toString());
      if (received.length === 2) resolve();
    }),
  );
  return { received, twoMessages };
}

describe('MQTT publish', () => {
  it('publishes numbered messages that a real subscriber receives through a real broker, and says goodbye on Stop', async () => {
    const broker = await Aedes.createBroker();
    const server = net.createServer((socket) => broker.handle(socket));
    const port = await listening(server);
    cleanups.push(() => new Promise<void>((r) => broker.close(() => r())));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const clients: string[] = [];
    broker.on('client', (c) => clients.push(c.id));
    const disconnected = new Promise<string>((resolve) => broker.on('clientDisconnect', (c) => resolve(c.id)));

    const { received, twoMessages } = await helloSubscriber(port, 'mote/hello');

    b = await ExampleBoard.start('pico-w');
    let source = exampleSource('mqtt_publish');
    source = withSetting(source, 'BROKER', '127.0.0.1');
    source = withSetting(source, 'PORT', port);
    await b.start('mqtt_publish', source);
    await twoMessages;
    const messages = received.map((m) => JSON.parse(m) as { count: number; uptime_ms: number });
    expect(messages.map((m) => m.count)).toEqual([1, 2]);
    // Two seconds apart on the board's clock.
    expect(messages[1].uptime_ms - messages[0].uptime_ms).toBeGreaterThanOrEqual(2000);
    expect(messages[1].uptime_ms - messages[0].uptime_ms).toBeLessThan(2500);
    // The client id is made from machine.unique_id() (the Pico W profile's).
    const boardClient = clients.find((c) => c !== 'test-subscriber');
    expect(boardClient).toBe('mote-e6614104035f2c21');
    expect(b.text).toContain(`published mote/hello ${received[0]}`);

    // Stop: the lesson's finally sends DISCONNECT before the socket closes.
    await b.stop();
    expect(await disconnected).toBe(boardClient);
  });

  it("runs unchanged against the IDE's own broker, started as the IDE starts it (fleet logins on), with no login of its own", async () => {
    // What a user gets who presses Run in the IDE with the lesson's 127.0.0.1:1883, where that broker listens.
    const ide = await EmbeddedBroker.start({ kind: 'embedded', host: '127.0.0.1', port: 0, username: 'mote', password: 'kept-Secret-1', devicePrefix: FLEET_PREFIX });
    cleanups.push(() => ide.close());
    // Subscribed as the lesson suggests (mosquitto_sub -t 'mote/#'), also with no login.
    const { received, twoMessages } = await helloSubscriber(ide.port, 'mote/#');
    b = await ExampleBoard.start('pico-w');
    await b.start('mqtt_publish', withSetting(exampleSource('mqtt_publish'), 'PORT', ide.port));
    await twoMessages;
    expect(received.map((m) => (JSON.parse(m) as { count: number }).count)).toEqual([1, 2]);
    await b.stop();
  });

  it('umqtt.simple subscribes, receives QoS 0 and 1 messages through the callback, and pings (the API micropython-lib has)', async () => {
    const auth = new Map<string, { user?: string; password?: string }>();
    const broker = await Aedes.createBroker({
      authenticate: (client, user, password, done) => {
        auth.set(client.id, { user, password: password?.toString() });
        done(null, true);
      },
    });
    const server = net.createServer((socket) => broker.handle(socket));
    const port = await listening(server);
    cleanups.push(() => new Promise<void>((r) => broker.close(() => r())));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const subscribed = new Promise<void>((resolve) => broker.on('subscribe', (subs) => subs.some((s) => s.topic === 'mote/in') && resolve()));

    b = await ExampleBoard.start('pico-w');
    await b.installDrivers('mqtt_publish');
    const program = [
      'from umqtt.simple import MQTTClient',
      'import network',
      'import time',
      'wlan = network.WLAN(network.STA_IF)',
      'wlan.active(True)',
      'wlan.connect("MoteNet", "pw")',
      'while not wlan.isconnected():',
      '    time.sleep_ms(50)',
      `c = MQTTClient("lib-test", "127.0.0.1", port=${port}, user="alice", password="secret", keepalive=30)`,
      'c.set_last_will("mote/will", "gone", qos=1)',
      'got = []',
      'c.set_callback(lambda topic, msg: got.append((topic, msg)))',
      'print("session", c.connect())',
      'c.subscribe("mote/in", qos=1)',
      'print("subscribed")',
      'while len(got) < 2:',
      '    c.wait_msg()',
      'print("got", got)',
      'print("nothing waiting", c.check_msg())',
      'c.ping()',
      'print("ping answer", hex(c.wait_msg()))',
      'c.publish("mote/out", b"\\x00\\xffbinary", qos=1)',
      'print("puback")',
      'c.disconnect()',
    ].join('\n');
    const out = new Promise<Buffer>((resolve) => broker.on('publish', (p) => p.topic === 'mote/out' && resolve(Buffer.from(p.payload))));
    // aedes keeps the CONNECT packet's last will on the client (not in its typings).
    const will = new Promise<unknown>((resolve) => broker.on('client', (c) => c.id === 'lib-test' && resolve((c as unknown as { will: unknown }).will)));
    const run = b.exec(program);
    // A program that fails before subscribing ends the wait with its traceback.
    await Promise.race([subscribed, run.then((r) => Promise.reject(new Error(`the program ended: ${r.stderr.toString()}`)))]);
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'pub' });
    cleanups.push(() => publisher.endAsync());
    await publisher.publishAsync('mote/in', 'first', { qos: 0 });
    await publisher.publishAsync('mote/in', 'second', { qos: 1 });
    const r = await run;
    expect(r.stderr.toString()).toBe('');
    const text = r.stdout.toString();
    expect(text).toContain('session False');
    expect(text).toContain("got [(b'mote/in', b'first'), (b'mote/in', b'second')]");
    expect(text).toContain('nothing waiting None');
    expect(text).toContain('ping answer 0xd0');
    expect(text).toContain('puback');
    expect(await out).toEqual(Buffer.from('\x00\xffbinary', 'latin1'));
    expect(auth.get('lib-test')).toEqual({ user: 'alice', password: 'secret' });
    expect(await will).toMatchObject({ topic: 'mote/will', qos: 1, retain: false });
    expect(Buffer.from((await will as { payload: Uint8Array }).payload).toString()).toBe('gone');
  });
});
