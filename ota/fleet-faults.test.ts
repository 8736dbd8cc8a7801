// Bad releases and bad outcomes through real brokers: a tampered file, a
// tampered manifest and a replayed release are refused by the devices and
// reported; failed health checks roll devices back and pause the rollout at
// its failure threshold; rollback and cancel rewrite what devices are told.

import * as fs from 'node:fs';
import * as path from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeJson, parseStatus, type DesiredMessage, type StatusMessage } from './common/messages.js';
import { BlobStore } from './server/releases/blob-store.js';
import { FleetFixture, randomApp, type BrokerKind } from './testing/fleet-fixture.js';
import { waitFor } from './testing/wait-for.js';
import { createHash } from 'node:crypto';

describe.each<BrokerKind>(['mosquitto', 'aedes'])('fleet faults via %s', (kind) => {
  let f: FleetFixture;
  afterEach(async () => f?.close());

  it('rejects a file whose bytes do not match the signed manifest, and reports it', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(4, 3000);
    const [dev] = await f.addDevices(1, 'lab', v1);
    const bad = Buffer.alloc(3000, 5);
    const rel = await f.service.buildRelease(f.project('v2', { ...v1, 'lib/mod2.py': bad }));
    // Someone with write access to the file server swaps the served bytes.
    const sha = createHash('sha256').update(bad).digest('hex');
    fs.writeFileSync(path.join(f.dir, 'data', 'blobs', sha), Buffer.alloc(3000, 6));

    const r = f.service.startRollout(rel.seq, 'lab', { waves: [1], minFirstWave: 1, minFinished: 10, jitterMs: 0 });
    await f.until('device failed', () => f.service.rollouts.device(r.id, dev.id)!.state === 'failed');
    expect(f.service.rollouts.device(r.id, dev.id)!.why).toMatch(/hash mismatch: lib\/mod2\.py/);
    expect(dev.flash.installedSeq).toBe(0);
    expect(dev.flash.slots[dev.flash.active].get('lib/mod2.py')!.equals(v1['lib/mod2.py'])).toBe(true);
    expect(f.service.audit.recent().find((a) => a.action === 'device.failed')?.detail).toMatchObject({ device: dev.id, seq: rel.seq });
  });

  it("fails a device whose HMAC key file is damaged, with the reason, and the others still update", async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(3, 1000);
    const [bad, good] = await f.addDevices(2, 'lab', v1);
    f.service.deviceKeys.save(bad.id, Buffer.alloc(32, 7));
    fs.writeFileSync(path.join(f.service.deviceKeys.dir, `${bad.id}.key`), 'not a key\n');
    const rel = await f.service.buildRelease(f.project('v2', { ...v1, 'lib/mod1.py': Buffer.from('v2') }));
    const r = f.service.startRollout(rel.seq, 'lab', { waves: [1], minFirstWave: 2, minFinished: 10, jitterMs: 0 });
    await f.until('the damaged device failed', () => f.service.rollouts.device(r.id, bad.id)!.state === 'failed');
    expect(f.service.rollouts.device(r.id, bad.id)!.why).toMatch(/not sent: the key file of device .* is damaged/);
    await f.until('the other device updated', () => f.service.rollouts.device(r.id, good.id)!.state === 'succeeded');
    expect(good.flash.installedSeq).toBe(rel.seq);
    expect(bad.flash.installedSeq).toBe(0);
  });

  it('rejects a tampered manifest (bad signature) and a replayed older release, and reports both', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(4, 2000);
    const [dev] = await f.addDevices(1, 'lab', v1);
    const rel1 = await f.service.buildRelease(f.project('v2', { ...v1, 'lib/mod1.py': Buffer.from('v2') }));
    const r1 = f.service.startRollout(rel1.seq, 'lab', { waves: [1], minFirstWave: 1, jitterMs: 0 });
    await f.untilRollout(r1.id, 'completed');
    const rel2 = await f.service.buildRelease(f.project('v3', { ...v1, 'lib/mod1.py': Buffer.from('v3') }));
    const r2 = f.service.startRollout(rel2.seq, 'lab', { waves: [1], minFirstWave: 1, jitterMs: 0 });
    await f.untilRollout(r2.id, 'completed');
    expect(dev.flash.installedSeq).toBe(rel2.seq);

    // An attacker on the broker: sees and publishes anything, but has no signing key.
    const attacker = await mqtt.connectAsync(f.broker.url, { protocolVersion: 4 });
    const seen: StatusMessage[] = [];
    await attacker.subscribeAsync(f.service.topics.device(dev.id, 'status'));
    attacker.on('message', (_t, p) => seen.push(parseStatus(p)));
    const heard = (what: string, cond: () => boolean) =>
      waitFor(what, cond, [...f.sources, (cb) => (attacker.on('message', cb), () => attacker.off('message', cb))]);
    const desired = f.service.topics.device(dev.id, 'desired');
    const signed = (text: string, sig: string, seq: number): Buffer => {
      const b = Buffer.from(text);
      const m: DesiredMessage = { seq, h: createHash('sha256').update(b).digest('hex'), n: b.length, s: sig, j: 0 };
      return encodeJson(m);
    };

    // 1. Replay: release 1, validly signed, older than what the device runs.
    await attacker.publishAsync(desired, signed(rel1.manifestText, rel1.signature, rel1.seq), { qos: 1, retain: true });
    await heard('replay rejected', () => seen.some((s) => s.st === 'rejected' && s.seq === rel1.seq));
    expect(seen.find((s) => s.seq === rel1.seq)!.why).toMatch(/replay/);

    // 2. Tampered manifest: a newer seq and another file hash, served from the file server, with the old signature.
    const forged = rel2.manifestText.replace(`seq ${rel2.seq}\n`, `seq 99\n`);
    new BlobStore(path.join(f.dir, 'data', 'blobs')).put(Buffer.from(forged));
    await attacker.publishAsync(desired, signed(forged, rel2.signature, 99), { qos: 1, retain: true });
    await heard('forgery rejected', () => seen.some((s) => s.st === 'rejected' && s.seq === 99));
    expect(seen.find((s) => s.seq === 99)!.why).toMatch(/bad signature/);

    expect(dev.flash.installedSeq).toBe(rel2.seq);
    const audited = () => f.service.audit.recent().filter((a) => a.action === 'device.rejected').map((a) => a.detail.seq);
    await f.until('both audited', () => audited().includes(rel1.seq) && audited().includes(99));
    await attacker.endAsync();
  });

  it('pauses at the failure threshold when the new app fails its health check, and rolls back', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(5, 3000);
    const failing = new Set<number>();
    const devs = await f.addDevices(20, 'lab', v1, { faults: { healthFails: (seq) => failing.has(seq) } });
    // The fleet runs release 1 (the same files the devices have: only its manifest travels).
    const good = await f.service.buildRelease(f.project('good', v1), { app: 'demo' });
    await f.untilRollout(f.service.startRollout(good.seq, 'lab', { waves: [1], jitterMs: 0 }).id, 'completed');
    const rel = await f.service.buildRelease(f.project('bad', { ...v1, 'main.py': Buffer.from('raise RuntimeError("boom")\n') }), { app: 'demo' });
    failing.add(rel.seq);
    const r = f.service.startRollout(rel.seq, 'lab', { waves: [0.25, 1], failureRatio: 0.2, minFinished: 3, jitterMs: 0 });
    await f.untilRollout(r.id, 'paused');

    expect(f.rollout(r.id).reason).toMatch(/above the 20% threshold/);
    expect(f.rollout(r.id).wave).toBe(0);
    const counts = f.service.rollouts.counts(r.id);
    expect(counts[1].byState.pending).toBe(15); // the second wave was never told
    await f.until('first wave finished', () => f.service.rollouts.devices(r.id, { wave: 0 }).every((d) => d.state === 'rolled_back'));
    for (const d of devs) {
      expect(d.flash.installedSeq).toBe(good.seq);
      expect(d.flash.slots[d.flash.active].get('main.py')!.equals(v1['main.py'])).toBe(true);
    }

    // Rolling back: a new release (higher seq) with the old files; devices already hold them, so only manifests travel.
    const before = new Map(f.service.blocks.stats.bySha);
    const back = f.service.rollback(r.id, { jitterMs: 0, successRatio: 1 });
    expect(f.rollout(r.id).state).toBe('canceled');
    await f.untilRollout(back.id, 'completed');
    const manifest = createHash('sha256').update(f.service.releases.get(back.seq)!.manifestText).digest('hex');
    const travelled = [...f.service.blocks.stats.bySha].filter(([sha, n]) => n !== (before.get(sha) ?? 0)).map(([sha]) => sha);
    expect(travelled).toEqual([manifest]);
    expect(devs.every((d) => d.flash.installedSeq === back.seq)).toBe(true);
    expect(f.service.audit.recent().map((a) => a.action)).toEqual(expect.arrayContaining(['rollout.auto-paused', 'rollout.rollback']));
  });

  it('cancel withdraws the desired release of devices not done, and leaves updated ones alone', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(4, 2000);
    await f.addDevices(20, 'lab', v1);
    const rel = await f.service.buildRelease(f.project('v2', { ...v1, 'lib/mod1.py': Buffer.alloc(4000, 1) }));
    // A long start jitter keeps told devices waiting, so some are in flight when the cancel comes.
    const r = f.service.startRollout(rel.seq, 'lab', { waves: [0.25, 1], jitterMs: 3000, successRatio: 1 });
    await f.until('second wave told', () => f.rollout(r.id).wave === 1 && f.service.rollouts.devices(r.id, { wave: 1 }).some((d) => d.state === 'notified'));
    f.service.engine.cancel(r.id);
    const states = f.service.rollouts.devices(r.id);
    expect(states.filter((d) => d.wave === 0).every((d) => d.state === 'succeeded')).toBe(true);
    expect(states.filter((d) => d.wave === 1).every((d) => d.state === 'canceled' || d.state === 'succeeded')).toBe(true);
    const victim = states.find((d) => d.state === 'canceled' && d.notifiedAt !== null)!;
    const dev = f.devices.find((d) => d.id === victim.deviceId)!;
    await f.until('device stopped', () => dev.reported.some((s) => s.st === 'canceled'));
    expect(dev.flash.installedSeq).toBe(0);

    // What the broker retains for it now: nothing. A message of our own, sent after subscribing, marks the end of anything retained.
    const probe = await mqtt.connectAsync(f.broker.url, { protocolVersion: 4 });
    const got: string[] = [];
    const desired = f.service.topics.device(victim.deviceId, 'desired');
    await probe.subscribeAsync([desired, `${desired}/probe`], { qos: 1 });
    probe.on('message', (t) => got.push(t));
    const marker = waitFor('probe marker', () => got.includes(`${desired}/probe`), [(cb) => (probe.on('message', cb), () => probe.off('message', cb))]);
    await probe.publishAsync(`${desired}/probe`, 'end', { qos: 1 });
    await marker;
    expect(got).toEqual([`${desired}/probe`]);
    await probe.endAsync();
  });
});
