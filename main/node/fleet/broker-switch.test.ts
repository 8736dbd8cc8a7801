// Choosing the fleet's broker through the IDE back end, against real brokers:
// the embedded aedes one that starts with the back end, and a private
// mosquitto that wants a password and speaks TLS with a throwaway CA. Every
// failure must be specific and leave the broker in use untouched.

import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCall, type FleetBrokerRequest, type FleetStatus, type MoteEvents } from '../../common/api.js';
import { DEFAULT_EMBEDDED_BROKER } from '../../common/fleet-types.js';
import { SigningKey } from '../../../ota/server/releases/signing-key.js';
import { SimDevice } from '../../../ota/sim/sim-device.js';
import { freePort, Mosquitto, mosquittoAvailable } from '../../../ota/testing/mosquitto.js';
import { waitFor } from '../../../ota/testing/wait-for.js';
import { createBackend, type DisposableBackend } from '../ide-backend.js';
import { FileSecretStore } from '../secrets/secret-store.js';
import { EMBEDDED_SECRET, EMBEDDED_USER } from './broker-settings.js';
import { useFreeBrokerPort } from './broker-test-port.js';

const PASSWORD = 'tls-fleet-Secret-7731';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-broker-switch-'));
const dataDir = path.join(dir, 'data');
const projectDir = path.join(dir, 'project');
/** Everything the back end printed or emitted, to prove no password is in it. */
const printed: string[] = [];
const emitted: string[] = [];
const fleetEvents = new Set<(s: FleetStatus) => void>();
let mosq: Mosquitto;
let embeddedPort: number;
let backend: DisposableBackend;
const devices: SimDevice[] = [];
const restore: Array<() => void> = [];

function open(): Promise<DisposableBackend> {
  return createBackend({ projectDir, dataDir }, (<E extends keyof MoteEvents>(event: E, payload: MoteEvents[E]) => {
    if (event === 'terminalData') return;
    emitted.push(JSON.stringify(payload));
    if (event === 'fleet') for (const f of [...fleetEvents]) f(payload as FleetStatus);
  }) as never);
}

/** Resolves once a `fleet` event (or the current status) shows `cond`. */
async function until(what: string, cond: (s: FleetStatus) => boolean): Promise<void> {
  let last = await backend.fleetStatus();
  const onFleet = (cb: () => void) => {
    const f = (s: FleetStatus) => ((last = s), cb());
    fleetEvents.add(f);
    return () => fleetEvents.delete(f);
  };
  await waitFor(what, () => cond(last), [onFleet], 20_000);
}

/** Connects with these credentials, retrying while nothing listens yet; resolves true on CONNACK 0, false when refused. */
function canLogIn(port: number, username: string, password: string): Promise<boolean> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { username, password, protocolVersion: 4, reconnectPeriod: 100, connectTimeout: 5000 });
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      c.removeAllListeners();
      c.on('error', () => undefined);
      c.end(true);
      resolve(ok);
    };
    c.once('connect', () => done(true));
    c.on('error', (e) => typeof (e as { code?: unknown }).code === 'number' && done(false));
  });
}

const tlsBroker = (over: Partial<FleetBrokerRequest & { kind: 'external' }> = {}): FleetBrokerRequest => ({
  kind: 'external', url: mosq.tlsUrl, username: 'fleet', password: PASSWORD, caFile: mosq.caFile, certFile: '', keyFile: '', acceptSelfSigned: false, ...over,
});

beforeAll(async () => {
  for (const k of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const orig = console[k];
    console[k] = (...a: unknown[]) => (printed.push(a.map(String).join(' ')), orig.apply(console, a));
    restore.push(() => (console[k] = orig));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const orig = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => (printed.push(String(chunk)), (orig as (...a: unknown[]) => boolean)(chunk, ...rest))) as typeof stream.write;
    restore.push(() => (stream.write = orig));
  }
  fs.mkdirSync(projectDir, { recursive: true });
  fs.writeFileSync(path.join(projectDir, 'main.py'), 'print("hi")\n');
  mosq = await Mosquitto.start({ users: { fleet: PASSWORD }, tls: true });
  // A port of its own: other tests' back ends may hold the default 1883.
  embeddedPort = await useFreeBrokerPort(dataDir);
  backend = await open();
}, 30_000);

afterAll(async () => {
  await Promise.all(devices.map((d) => d.close()));
  await backend?.dispose();
  await mosq?.close();
  restore.forEach((r) => r());
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.runIf(mosquittoAvailable())('the fleet broker setting, through the back end', () => {
  let credential: string;

  it('has the embedded broker up as soon as the back end exists, letting in only its saved credential', async () => {
    // No fleet call first: the back end started it on its own.
    const secrets = new FileSecretStore(dataDir);
    await expect.poll(() => secrets.get(EMBEDDED_SECRET), { timeout: 10_000 }).not.toBeNull();
    credential = secrets.get(EMBEDDED_SECRET)!;
    expect(await canLogIn(embeddedPort, EMBEDDED_USER, credential)).toBe(true);
    expect(await canLogIn(embeddedPort, EMBEDDED_USER, 'guess')).toBe(false);
    const info = await backend.fleetBrokerSettings();
    expect(info).toEqual({
      settings: { kind: 'embedded', host: '0.0.0.0', port: embeddedPort }, passwordSet: true, summary: `Embedded broker on 0.0.0.0:${embeddedPort}`, error: null,
    });
    expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('switches to the TLS broker with a password: the fleet loads and a device registers through it', async () => {
    expect(await backend.fleetTestBroker(tlsBroker())).toBe(`Connected to mqtts://127.0.0.1:${mosq.tlsPort} as fleet`);
    const info = await backend.fleetSetBroker(tlsBroker());
    expect(info.summary).toBe(`mqtts://127.0.0.1:${mosq.tlsPort} as fleet`);
    expect(info.passwordSet).toBe(true);
    expect(info.error).toBeNull();
    expect((await backend.fleetStatus()).broker).toEqual({ url: mosq.tlsUrl, lastError: null });
    expect(await listening(embeddedPort)).toBe(false);

    const key = SigningKey.loadOrCreate(path.join(dataDir, 'fleet', 'keys', 'ota-ed25519.pem'));
    // The simulated device speaks plain MQTT (as an ESP8266 would): the same broker's plain listener, same password rule.
    const d = new SimDevice({
      id: 'tls-1', endpoint: { url: mosq.url, username: 'fleet', password: PASSWORD },
      prefix: 'mote/fleet', publicKey: key.publicKey, files: new Map([['main.py', Buffer.from('print(1)\n')]]), tags: ['tls'],
    });
    devices.push(d);
    await d.boot();
    await until('tls-1 registered and online', (s) => s.devices.some((x) => x.id === 'tls-1' && x.online && x.tags.includes('tls')));
  });

  it('provisions the simulated board for the TLS broker with the CA from Broker…, and its agent joins over TLS', async () => {
    const r = await backend.fleetProvision({ id: 'tls-board', broker: mosq.tlsUrl, user: 'fleet', password: PASSWORD, wifiSsid: 'lab' });
    expect(r.broker).toBe(`mqtts://127.0.0.1:${mosq.tlsPort}`);
    const cfg = JSON.parse(await backend.readBoardFile('/ota/config.json')) as Record<string, unknown>;
    expect(cfg).toMatchObject({ tls: true, host: '127.0.0.1', port: mosq.tlsPort });
    const der = new X509Certificate(fs.readFileSync(mosq.caFile)).raw;
    expect((await backend.listBoardFiles()).find((f) => f.path === '/ota/ca.der')?.size).toBe(der.length);
    // The board starts the agent, which reaches the broker only through TLS checked against that CA.
    await backend.hardReset();
    await until('tls-board registered over TLS', (s) => s.devices.some((x) => x.id === 'tls-board' && x.online));
  });

  // Each refusal names its cause, and the TLS broker stays the one in use (the device stays online through it).
  const refusals: Array<[string, () => FleetBrokerRequest, RegExp]> = [
    ['a wrong password', () => tlsBroker({ password: 'not-it' }), /^the broker refused user "fleet": wrong user name or password$/],
    ['no password', () => tlsBroker({ password: '' }), /^the broker refused user "fleet": wrong user name or password$/],
    ['a certificate from an unknown CA', () => tlsBroker({ caFile: '' }), /^the broker's TLS certificate is not trusted \(.+\): give the CA file/],
    ['a URL that is not one', () => tlsBroker({ url: 'broker.local:1883' }), /broker URL scheme broker\.local: unsupported: use mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\//],
    ['a scheme that is not MQTT', () => tlsBroker({ url: 'http://127.0.0.1:1883' }), /^broker URL scheme http: unsupported/],
    ['credentials in the URL', () => tlsBroker({ url: `mqtts://fleet:${PASSWORD}@127.0.0.1:${mosq.tlsPort}` }), /^put broker credentials in username\/password, not in the URL/],
    ['an unreadable CA file', () => tlsBroker({ caFile: path.join(dir, 'missing-ca.pem') }), /^cannot read the CA file .*missing-ca\.pem: no such file$/],
    ['a CA file that is not PEM', () => tlsBroker({ caFile: path.join(projectDir, 'main.py') }), /is not PEM text/],
    ['TLS options on a plain URL', () => tlsBroker({ url: mosq.url }), /^TLS options need a TLS URL/],
    ['TLS spoken to the plain port', () => tlsBroker({ url: `mqtts://127.0.0.1:${mosq.port}` }), /TLS handshake .* failed|dropped the connection|closed the connection/],
  ];
  for (const [what, req, why] of refusals) {
    it(`refuses ${what} with its own message and keeps the TLS broker`, async () => {
      await expect(backend.fleetTestBroker(req())).rejects.toThrow(why);
      await expect(backend.fleetSetBroker(req())).rejects.toThrow(why);
      const info = await backend.fleetBrokerSettings();
      expect(info.summary).toBe(`mqtts://127.0.0.1:${mosq.tlsPort} as fleet`);
      expect(info.error).toBeNull();
      const s = await backend.fleetStatus();
      expect(s.broker.url).toBe(mosq.tlsUrl);
      expect(s.devices.find((x) => x.id === 'tls-1')?.online).toBe(true);
    });
  }

  it('refuses a broker nobody runs, by address', async () => {
    const port = await freePort();
    const req = tlsBroker({ url: `mqtt://127.0.0.1:${port}`, caFile: '' });
    await expect(backend.fleetSetBroker(req)).rejects.toThrow(`nothing accepts connections at 127.0.0.1:${port}: is the broker running, and is the port right?`);
    expect((await backend.fleetBrokerSettings()).summary).toBe(`mqtts://127.0.0.1:${mosq.tlsPort} as fleet`);
  });

  it('refuses malformed settings at the API boundary', () => {
    expect(validateCall('fleetSetBroker', [{ kind: 'embedded', host: '0.0.0.0', port: 0 }])).toBe('port must be a whole number from 1 to 65535');
    expect(validateCall('fleetSetBroker', [{ kind: 'embedded', host: '0.0.0.0 ; x', port: 1883 }])).toMatch(/listen address must be/);
    expect(validateCall('fleetSetBroker', [{ ...tlsBroker(), certFile: '/a.pem' }])).toMatch(/needs its key file too/);
    expect(validateCall('fleetSetBroker', [{ ...tlsBroker(), url: '' }])).toMatch(/URL is required/);
    expect(validateCall('fleetSetBroker', [{ ...tlsBroker(), extra: 1 }])).toMatch(/unknown broker setting "extra"/);
    expect(validateCall('fleetSetBroker', [tlsBroker()])).toBeNull();
  });

  it('keeps the password out of the settings file, the renderer and every log line', async () => {
    const file = fs.readFileSync(path.join(dataDir, 'fleet', 'broker.json'), 'utf8');
    expect(JSON.parse(file)).toEqual({ kind: 'external', url: mosq.tlsUrl, username: 'fleet', caFile: mosq.caFile, certFile: '', keyFile: '', acceptSelfSigned: false });
    expect(JSON.stringify(await backend.fleetBrokerSettings())).not.toContain(PASSWORD);
    expect(JSON.stringify(await backend.fleetStatus())).not.toContain(PASSWORD);
    expect(emitted.length).toBeGreaterThan(0);
    for (const text of [file, ...emitted, ...printed]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(credential);
    }
  });

  it('comes back on the TLS broker after a back end restart, with the saved password', async () => {
    await backend.dispose();
    backend = await open();
    const info = await backend.fleetBrokerSettings();
    expect(info.summary).toBe(`mqtts://127.0.0.1:${mosq.tlsPort} as fleet`);
    expect(info.passwordSet).toBe(true);
    await until('tls-1 online again', (s) => s.broker.url === mosq.tlsUrl && s.devices.some((x) => x.id === 'tls-1' && x.online));
  });

  it('keeps a saved password when the dialog sends none, but only for the broker and user it was saved for', async () => {
    const { password: _p, ...noPassword } = tlsBroker() as FleetBrokerRequest & { password?: string };
    // Another host name for the same broker: the saved password is not sent there.
    const elsewhere = { ...noPassword, url: `mqtts://localhost:${mosq.tlsPort}` } as FleetBrokerRequest;
    await expect(backend.fleetTestBroker(elsewhere)).rejects.toThrow('the broker refused user "fleet": wrong user name or password');
    const info = await backend.fleetSetBroker(noPassword as FleetBrokerRequest);
    expect(info.passwordSet).toBe(true);
    expect((await backend.fleetStatus()).broker.lastError).toBeNull();
  });

  it('goes back to the embedded broker with the same credential and port, also after a restart', async () => {
    const info = await backend.fleetSetBroker({ ...DEFAULT_EMBEDDED_BROKER, port: embeddedPort });
    expect(info.summary).toBe(`Embedded broker on 0.0.0.0:${embeddedPort}`);
    expect(await canLogIn(embeddedPort, EMBEDDED_USER, credential)).toBe(true);
    await backend.dispose();
    expect(await listening(embeddedPort)).toBe(false);
    backend = await open();
    expect(new FileSecretStore(dataDir).get(EMBEDDED_SECRET)).toBe(credential);
    expect(await canLogIn(embeddedPort, EMBEDDED_USER, credential)).toBe(true);
    expect((await backend.fleetStatus()).broker.url).toBe(`mqtt://127.0.0.1:${embeddedPort}`);
  });

  it('says which port is taken and where to change it, instead of picking another one', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '0.0.0.0', () => r()));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await expect(backend.fleetTestBroker({ ...DEFAULT_EMBEDDED_BROKER, port })).rejects.toThrow(`port ${port} on 0.0.0.0 is already in use (another MQTT broker, or another copy of the app?)`);
      const err = await backend.fleetSetBroker({ ...DEFAULT_EMBEDDED_BROKER, port }).catch((e: Error) => e.message);
      expect(err).toBe(
        `port ${port} on 0.0.0.0 is already in use (another MQTT broker, or another copy of the app?): change the port or address with Broker… in the Fleet view; still using Embedded broker on 0.0.0.0:${embeddedPort}`,
      );
      expect(await canLogIn(embeddedPort, EMBEDDED_USER, credential)).toBe(true);
      expect((await backend.fleetBrokerSettings()).error).toBeNull();
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });
});

describe.runIf(mosquittoAvailable())('a saved broker that cannot start', () => {
  it('shows why in the fleet status instead of failing the back end', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-broker-busy-'));
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as net.AddressInfo).port;
    await useFreeBrokerPort(d, '127.0.0.1', port);
    const b = await createBackend({ projectDir, dataDir: d }, () => undefined);
    try {
      await expect(b.fleetStatus()).rejects.toThrow(`could not start the fleet service: port ${port} on 127.0.0.1 is already in use`);
      expect((await b.fleetBrokerSettings()).error).toMatch(/already in use .*: change the port or address with Broker… in the Fleet view$/);
      expect(await b.getBoardStatus()).toBeTruthy();
    } finally {
      await b.dispose();
      await new Promise<void>((r) => taken.close(() => r()));
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
