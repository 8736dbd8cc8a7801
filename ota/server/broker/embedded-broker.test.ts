// The embedded broker with device logins, against real mqtt.js clients on
// 127.0.0.1: each board logs in as itself and is held to its own topics, the
// configured (admin) login keeps full access, and a client with no login is a
// guest kept off the fleet's topics.

import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../../testing/wait-for.js';
import { EmbeddedBroker } from './embedded-broker.js';
import { deviceBrokerPassword } from './device-login.js';

const P = 'acl/fleet';
const ADMIN = { username: 'admin', password: 'admin-Secret-42' };
let broker: EmbeddedBroker;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await EmbeddedBroker.start({ kind: 'embedded', ...ADMIN, devicePrefix: P });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});
afterAll(async () => {
  await broker.close();
});

const device = (id: string) => ({ username: id, password: deviceBrokerPassword(ADMIN.password, id), clientId: id });

/** A client that does not reconnect; with `log` it records every message as "topic=payload". */
function client(opts: mqtt.IClientOptions, log?: string[]): MqttClient {
  const c = mqtt.connect(broker.endpoint.url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  if (log) c.on('message', (t, p) => log.push(`${t}=${p.toString()}`));
  clients.push(c);
  return c;
}

/** Resolves with the CONNACK outcome: 0 when accepted, the broker's return code when refused. */
function connack(c: MqttClient): Promise<number> {
  return new Promise((resolve) => {
    c.once('connect', () => resolve(0));
    c.once('error', (e) => resolve((e as Error & { code?: number }).code ?? -1));
  });
}

async function connected(opts: mqtt.IClientOptions, log?: string[]): Promise<MqttClient> {
  const c = client(opts, log);
  expect(await connack(c)).toBe(0);
  return c;
}

/** The QoS the broker granted each filter; 128 is a refusal (mqtt.js rejects then, with the SUBACK attached). */
async function granted(c: MqttClient, filter: string): Promise<number[]> {
  try {
    return (await c.subscribeAsync(filter, { qos: 1 })).map((g) => g.qos);
  } catch (e) {
    const suback = (e as { packet?: { granted?: number[] } }).packet;
    if (!suback?.granted) throw e;
    return suback.granted;
  }
}

function arrived(log: string[], entry: string): Promise<void> {
  return waitFor(entry, () => log.includes(entry), clients.map((c) => (cb: () => void) => (c.on('message', cb), () => c.off('message', cb))), 5000);
}

it('lets a device in with its own derived password only, and with its id as client id', async () => {
  const a = device('dev-a');
  expect(await connack(client(a))).toBe(0);
  expect(await connack(client({ ...a, password: 'wrong' }))).toBe(4);
  expect(await connack(client({ ...a, password: device('dev-b').password }))).toBe(4);
  expect(await connack(client({ ...a, clientId: 'dev-b' }))).toBe(4);
  expect(await connack(client({ ...device('dev-b'), clientId: 'dev-a' }))).toBe(4);
  // A derived password is no admin password, and the admin password does not make a device login.
  expect(await connack(client({ username: ADMIN.username, password: a.password }))).toBe(4);
  expect(await connack(client({ ...a, password: ADMIN.password }))).toBe(4);
  expect(await connack(client({ username: 'a/b', password: 'x', clientId: 'a/b' }))).toBe(4);
});

it('delivers a device publish on its own topics, and drops (and disconnects) one in another device name', async () => {
  const seen: string[] = [];
  const admin = await connected({ ...ADMIN, clientId: 'admin-1' }, seen);
  await admin.subscribeAsync(`${P}/dev/+/state`, { qos: 1 });
  const a = await connected(device('dev-a'));
  await a.publishAsync(`${P}/dev/dev-a/state`, 'a1', { qos: 1 });
  await arrived(seen, `${P}/dev/dev-a/state=a1`);

  // MQTT 3.1.1 has no negative PUBACK: aedes closes the connection of a refused publisher.
  const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
  a.publish(`${P}/dev/dev-b/state`, 'forged', { qos: 1 });
  await closed;
  // B publishes after A's forgery: once B's message is in, A's would have been delivered before it.
  const b = await connected(device('dev-b'));
  await b.publishAsync(`${P}/dev/dev-b/state`, 'b1', { qos: 1 });
  await arrived(seen, `${P}/dev/dev-b/state=b1`);
  expect(seen).not.toContain(`${P}/dev/dev-b/state=forged`);
  expect(seen).toEqual([`${P}/dev/dev-a/state=a1`, `${P}/dev/dev-b/state=b1`]);
});

it('refuses a device subscription outside its own topics with a negative SUBACK, keeping other devices desired messages from it', async () => {
  const admin = await connected({ ...ADMIN, clientId: 'admin-2' });
  await admin.publishAsync(`${P}/dev/dev-b/desired`, 'for-b', { qos: 1, retain: true });
  await admin.publishAsync(`${P}/dev/dev-a/desired`, 'for-a', { qos: 1, retain: true });

  const seen: string[] = [];
  const a = await connected(device('dev-a'), seen);
  expect(await granted(a, `${P}/dev/+/desired`)).toEqual([128]);
  expect(await granted(a, `${P}/dev/dev-b/desired`)).toEqual([128]);
  expect(await granted(a, '#')).toEqual([128]);
  expect(await granted(a, `${P}/dev/dev-a`)).toEqual([128]);
  // Still connected: its own desired message arrives (retained), and after it a later one on its own topic.
  expect(await granted(a, `${P}/dev/dev-a/desired`)).toEqual([1]);
  await arrived(seen, `${P}/dev/dev-a/desired=for-a`);
  await admin.publishAsync(`${P}/dev/dev-b/desired`, 'for-b-again', { qos: 1, retain: true });
  await admin.publishAsync(`${P}/dev/dev-a/desired`, 'marker', { qos: 1, retain: true });
  await arrived(seen, `${P}/dev/dev-a/desired=marker`);
  expect(seen).toEqual([`${P}/dev/dev-a/desired=for-a`, `${P}/dev/dev-a/desired=marker`]);
});

it('keeps the admin login able to do everything', async () => {
  const seen: string[] = [];
  const admin = await connected({ ...ADMIN, clientId: 'admin-3' }, seen);
  const granted = await admin.subscribeAsync({ [`${P}/dev/+/desired`]: { qos: 1 }, 'other/#': { qos: 1 } });
  expect(granted.map((g) => g.qos)).toEqual([1, 1]);
  await admin.publishAsync(`${P}/dev/dev-c/desired`, 'for-c', { qos: 1 });
  await admin.publishAsync('other/topic', 'free', { qos: 1 });
  await arrived(seen, 'other/topic=free');
  expect(seen).toContain(`${P}/dev/dev-c/desired=for-c`);
  // Also under a client id that is a device id (a board provisioned before device logins carried the admin login).
  expect(await connack(client({ ...ADMIN, clientId: 'dev-old' }))).toBe(0);
});

it("delivers a device's last will on its own online topic when it drops", async () => {
  const seen: string[] = [];
  const admin = await connected({ ...ADMIN, clientId: 'admin-4' }, seen);
  await admin.subscribeAsync(`${P}/dev/+/online`, { qos: 1 });
  const a = await connected({ ...device('dev-a'), will: { topic: `${P}/dev/dev-a/online`, payload: Buffer.from('0'), qos: 1, retain: true } });
  await a.publishAsync(`${P}/dev/dev-a/online`, '1', { qos: 1, retain: true });
  await arrived(seen, `${P}/dev/dev-a/online=1`);
  // A dropped connection, not a DISCONNECT: the broker must publish the will.
  a.stream.destroy();
  await arrived(seen, `${P}/dev/dev-a/online=0`);
});

it('lets a program in without a login to use every topic outside the fleet, and keeps the fleet\'s topics from it', async () => {
  const fleet: string[] = [];
  const admin = await connected({ ...ADMIN, clientId: 'admin-5' }, fleet);
  await admin.subscribeAsync(`${P}/dev/+/state`, { qos: 1 });
  await admin.publishAsync(`${P}/dev/dev-a/desired`, 'for-a', { qos: 1, retain: true });

  // As the MQTT lesson's umqtt program and `mosquitto_sub -t '#'` connect: no user name, no password.
  const seen: string[] = [];
  const watcher = await connected({ clientId: 'watcher' }, seen);
  expect(await granted(watcher, '#')).toEqual([1]);
  const lesson = await connected({ clientId: 'lesson' });
  await lesson.publishAsync('mote/hello', 'hi', { qos: 1 });
  await arrived(seen, 'mote/hello=hi');

  // Into the fleet's topics: refused, and aedes closes the publisher.
  const closed = new Promise<void>((resolve) => lesson.once('close', () => resolve()));
  lesson.publish(`${P}/dev/dev-a/state`, 'forged', { qos: 1 });
  await closed;
  const a = await connected(device('dev-a'));
  await a.publishAsync(`${P}/dev/dev-a/state`, 'real', { qos: 1 });
  await arrived(fleet, `${P}/dev/dev-a/state=real`);
  expect(fleet).toEqual([`${P}/dev/dev-a/state=real`]);

  // The fleet's messages, live or retained, never reach the guest subscribed to '#'.
  await admin.publishAsync(`${P}/dev/dev-a/desired`, 'for-a-2', { qos: 1, retain: true });
  await admin.publishAsync('mote/after', 'marker', { qos: 1 });
  await arrived(seen, 'mote/after=marker');
  expect(seen).toEqual(['mote/hello=hi', 'mote/after=marker']);
});

it('refuses a program without a login the client id of a connected board, and never makes a wrong login a guest', async () => {
  const a = await connected(device('dev-a'));
  expect(await connack(client({ clientId: 'dev-a' }))).toBe(2);
  expect(await connack(client({ clientId: 'admin-6-guest' }))).toBe(0);
  expect(await connack(client({ username: 'nobody', password: 'guess', clientId: 'x' }))).toBe(4);
  expect(await connack(client({ username: 'nobody', clientId: 'y' }))).toBe(4);
  // The board kept its connection: its publish is still acknowledged.
  await a.publishAsync(`${P}/dev/dev-a/state`, 'still-here', { qos: 1 });
  expect(a.connected).toBe(true);
});
