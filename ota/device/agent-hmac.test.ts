// Boards provisioned with a per-device HMAC key instead of the fleet's
// Ed25519 key, running the real agent (MicroPython wasm, sockets through the
// simulator's network) against the real fleet service and broker: the Python
// HMAC against Node's, the cost of both checks on the same board, and an
// update through the fleet next to an Ed25519 board, with forged, unkeyed and
// replayed desired messages published straight to the broker.

import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBoard, type TestBoard } from '../../runtime/sim/node/sim-test-kit.js';
import { manifestHmac } from '../common/manifest-hmac.js';
import { parseDesired, parseStatus, type DesiredMessage, type StatusMessage } from '../common/messages.js';
import { deviceConfig } from '../provision/device-config.js';
import { DeviceKeys } from '../server/registry/device-keys.js';
import { DesiredPublisher } from '../server/rollout/desired-publisher.js';
import { FleetFixture } from '../testing/fleet-fixture.js';
import { waitFor, type Subscribe } from '../testing/wait-for.js';
import { sameApp } from './agent-apps.js';
import { AgentBoard, SIM_WIFI } from './agent-board.js';
import { agentFiles } from './agent-files.js';

const py = (b: Uint8Array) => `b'${[...b].map((x) => `\\x${x.toString(16).padStart(2, '0')}`).join('')}'`;

describe('the HMAC check on the simulated board', () => {
  let tb: TestBoard;
  let dir = '';
  const key = randomBytes(32);
  // A manifest of the usual shape and size: 10 files.
  const manifest = ['MOTE-OTA/1', 'seq 3', 'app demo', 'port *', 'mpy *',
    ...Array.from({ length: 10 }, (_, i) => `file ${randomBytes(32).toString('hex')} ${1000 + i} lib/mod${i}.py`)].join('\n') + '\n';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-hmac-'));
    // Only the agent's modules: this board runs what each test gives it, not the agent's main.py.
    for (const [boardPath, host] of agentFiles()) {
      if (!boardPath.startsWith('lib/')) continue;
      fs.mkdirSync(path.join(dir, path.dirname(boardPath)), { recursive: true });
      fs.copyFileSync(host, path.join(dir, boardPath));
    }
    fs.mkdirSync(path.join(dir, 'ota'));
    fs.writeFileSync(path.join(dir, 'ota', 'manifest'), manifest);
    tb = await startTestBoard({ filesDir: dir });
  }, 30_000);

  afterAll(async () => {
    await tb?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an hmac board accepts only the right `m`, says why otherwise, and never loads the Ed25519 code', async () => {
    const good = manifestHmac(key, manifest);
    const bad = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    const r = await tb.exec(`import sys
sys.path.insert(0, '/lib')
from mote_ota.agent import Agent
from mote_ota.flash import chunks
a = Agent({'id': 'k1', 'host': 'h', 'auth': 'hmac', 'hmac': '${key.toString('hex')}'})
for m in ('${good}', '${bad}', 'not hex', None):
    d = {'seq': 3, 's': 'AAAA'}
    if m:
        d['m'] = m
    with open('/ota/manifest', 'rb') as f:
        print(repr(a.authentic(d, chunks(f))))
print('ed25519 loaded:', 'mote_ota.ed25519' in sys.modules)`, 30_000);
    expect(r.err).toBe('');
    expect(r.out.trim().split('\n')).toEqual(['None', "'bad HMAC on manifest'", "'bad HMAC on manifest'", "'no HMAC for this device'", 'ed25519 loaded: False']);
  }, 60_000);

  it("matches Node's HMAC-SHA256 for short, long and chunked input and keys of every length class", async () => {
    const cases = [
      { key, chunks: [Buffer.alloc(0)] },
      { key, chunks: [Buffer.from('abc')] },
      { key, chunks: [Buffer.from(manifest.slice(0, 100)), Buffer.from(manifest.slice(100))] },
      { key: randomBytes(64), chunks: [randomBytes(3000)] },
      { key: randomBytes(100), chunks: [randomBytes(65), randomBytes(1)] },
      { key: randomBytes(5), chunks: [randomBytes(64)] },
    ];
    const r = await tb.exec(`from mote_ota import hmac256
import binascii
for k, cs in (${cases.map((c) => `(${py(c.key)}, [${c.chunks.map(py).join(', ')}])`).join(', ')},):
    print(binascii.hexlify(hmac256.digest(k, cs)).decode())`, 60_000);
    expect(r.err).toBe('');
    const want = cases.map((c) => c.chunks.reduce((h, b) => h.update(b), createHmac('sha256', c.key)).digest('hex'));
    expect(r.out.trim().split('\n')).toEqual(want);
  }, 90_000);

  it('costs a small fraction of an Ed25519 verification on the same board', async () => {
    // Throwaway Ed25519 pair made by Node, so the board verifies a real signature.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pub = publicKey.export({ format: 'jwk' }).x!;
    const sig = sign(null, Buffer.from(manifest), privateKey).toString('base64');
    // The fastest of several runs: the machine is shared, and load only ever adds time.
    const r = await tb.exec(`import time, binascii
from mote_ota import hmac256, ed25519
from mote_ota.flash import chunks
def timed(fn, n):
    best = None
    for _ in range(n):
        t = time.ticks_us()
        with open('/ota/manifest', 'rb') as f:
            ok = fn(chunks(f))
        us = time.ticks_diff(time.ticks_us(), t)
        best = us if best is None or us < best else best
    return ok, best / 1000
k = ${py(key)}
pk = binascii.unhexlify('${Buffer.from(pub, 'base64url').toString('hex')}')
s = binascii.a2b_base64(b'${sig}')
print(*timed(lambda c: hmac256.verify(k, '${manifestHmac(key, manifest)}', c), 50))
print(*timed(lambda c: ed25519.verify(pk, s, c), 3))`, 120_000);
    expect(r.err).toBe('');
    const [[hOk, hMs], [eOk, eMs]] = r.out.trim().split('\n').map((l) => l.split(' '));
    expect([hOk, eOk]).toEqual(['True', 'True']);
    const ratio = Number(eMs) / Number(hMs);
    console.log(`${manifest.length}-byte manifest on the simulated board, fastest run: HMAC-SHA256 verify ${Number(hMs).toFixed(2)} ms, Ed25519 verify ${Number(eMs).toFixed(0)} ms: ${ratio.toFixed(0)}x`);
    expect(ratio).toBeGreaterThan(10);
  }, 150_000);
});

describe('an hmac board in the fleet', () => {
  let f: FleetFixture;
  let watcher: mqtt.MqttClient;
  const boards: AgentBoard[] = [];
  const desired = new Map<string, DesiredMessage>();
  const statuses: Array<{ id: string; s: StatusMessage }> = [];
  const key = DeviceKeys.generate();
  const app = (v: number) => ({ 'main.py': Buffer.from(`V = ${v}\n`) });
  const onMessage: Subscribe = (cb) => {
    watcher.on('message', cb);
    return () => void watcher.off('message', cb);
  };
  /** Waits until the watcher has seen what `cond` looks for. */
  const seen = (what: string, cond: () => boolean) => waitFor(what, cond, [onMessage], 20_000);
  const reported = (id: string, seq: number) => statuses.find((x) => x.id === id && x.s.seq === seq)?.s;

  beforeAll(async () => {
    f = await FleetFixture.start('aedes', 'hmac/fleet');
    watcher = await mqtt.connectAsync(f.broker.url, { clientId: 'hmac-test-watcher' });
    await watcher.subscribeAsync({ [`${f.prefix}/dev/+/desired`]: { qos: 1 }, [`${f.prefix}/dev/+/status`]: { qos: 1 } });
    watcher.on('message', (topic, payload) => {
      const [id, leaf] = topic.split('/').slice(-2);
      if (leaf === 'desired' && payload.length) desired.set(id, parseDesired(payload)!);
      if (leaf === 'status') statuses.push({ id, s: parseStatus(payload) });
    });
  }, 30_000);

  afterAll(async () => {
    await Promise.all(boards.map((b) => b.close()));
    await watcher?.endAsync();
    await f?.close();
  });

  /** What a board did with `seq`, as its retained state reports it to the service. */
  const outcome = (id: string, seq: number) =>
    f.until(`${id} finished release ${seq}`, () => f.service.devices.get(id)?.lastSeq === seq, 60_000).then(() => {
      const d = f.service.devices.get(id)!;
      return { st: d.lastState, why: d.lastWhy };
    });

  it('updates through the fleet; a wrong or missing `m` and a replayed older release are rejected and reported', async () => {
    const settings = { broker: f.broker.url, prefix: f.prefix, publicKey: f.service.key.publicKey, tags: ['mixed'], block: 1024, window: 4, wifi: { ssid: SIM_WIFI.ssid, password: SIM_WIFI.wifi_password } };
    // As provisioning does it: the key in the board's config, and kept by the fleet service.
    const hmacCfg = deviceConfig({ ...settings, id: 'esp8266-1', auth: 'hmac' }, key);
    f.service.deviceKeys.save('esp8266-1', key);
    const edCfg = deviceConfig({ ...settings, id: 'esp32-1' });
    const [hb, eb] = [hmacCfg, edCfg].map((cfg) => AgentBoard.create(path.join(f.dir, 'boards', cfg.id), cfg, app(1)));
    boards.push(hb, eb);
    await Promise.all(boards.map((b) => b.powerOn()));
    await f.until('boards registered', () => boards.every((b) => f.service.devices.get(b.id)?.tags.includes('mixed')), 60_000);

    const older = await f.service.buildRelease(f.project('v2', app(2)), { app: 'demo' });
    const rel = await f.service.buildRelease(f.project('v3', app(3)), { app: 'demo' });
    const ro = f.service.startRollout(rel.seq, 'mixed', { waves: [1], minFirstWave: 1, jitterMs: 0 });
    await f.until('both boards updated', () => boards.every((b) => f.service.rollouts.device(ro.id, b.id)?.state === 'succeeded'), 120_000);
    for (const b of boards) expect(sameApp(b.activeApp(), app(3)), b.id).toBe(true);
    // Only the keyed board's message carries `m`, over the manifest's bytes under its own key; both keep `s`.
    await seen('both desired messages', () => desired.get(hb.id)?.seq === rel.seq && desired.get(eb.id)?.seq === rel.seq);
    expect(desired.get(hb.id)).toMatchObject({ seq: rel.seq, s: rel.signature, m: manifestHmac(key, rel.manifestText) });
    expect(desired.get(eb.id)).toMatchObject({ seq: rel.seq, s: rel.signature });
    expect(desired.get(eb.id)!.m).toBeUndefined();

    // Straight to the broker, as anyone with publish rights could: releases the service never rolled out.
    const publish = (d: object) => watcher.publishAsync(`${f.prefix}/dev/${hb.id}/desired`, JSON.stringify(d), { qos: 1, retain: true });
    const base = (r: typeof rel) => JSON.parse(DesiredPublisher.payload(r, 0).bytes.toString()) as DesiredMessage;
    const forged = await f.service.buildRelease(f.project('v4', app(4)), { app: 'demo' });
    const good = manifestHmac(key, forged.manifestText);
    await publish({ ...base(forged), m: good.replace(/^./, (c) => (c === '0' ? '1' : '0')) });
    expect(await outcome(hb.id, forged.seq)).toEqual({ st: 'rejected', why: 'bad HMAC on manifest' });

    // A valid fleet signature alone does not do on a board that checks its own key.
    const unkeyed = await f.service.buildRelease(f.project('v5', app(5)), { app: 'demo' });
    await publish(base(unkeyed));
    expect(await outcome(hb.id, unkeyed.seq)).toEqual({ st: 'rejected', why: 'no HMAC for this device' });

    // A genuine, correctly keyed message for an older release: the replay check still holds.
    await publish({ ...base(older), m: manifestHmac(key, older.manifestText) });
    expect(await outcome(hb.id, older.seq)).toEqual({ st: 'rejected', why: `replay: release ${older.seq} is older than installed ${rel.seq}` });

    // Each was reported on the status topic as it happened too, and the board kept its release.
    await seen('three status reports', () => [forged, unkeyed, older].every((r) => reported(hb.id, r.seq)));
    expect(reported(hb.id, forged.seq)).toEqual({ seq: forged.seq, st: 'rejected', why: 'bad HMAC on manifest' });
    expect(reported(hb.id, unkeyed.seq)).toEqual({ seq: unkeyed.seq, st: 'rejected', why: 'no HMAC for this device' });
    expect(reported(hb.id, older.seq)).toMatchObject({ st: 'rejected', why: expect.stringMatching(/^replay: /) });
    expect(sameApp(hb.activeApp(), app(3))).toBe(true);
    expect(f.service.devices.get(hb.id)!.seq).toBe(rel.seq);
  }, 240_000);
});
