// Rollouts end to end through real brokers (a private mosquitto and aedes):
// a fleet service on a real SQLite file, simulated devices on their own MQTT
// connections. Bytes are counted on each device's TCP socket.

import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { BlockNode } from './server/blocks/block-node.js';
import { mosquittoAvailable } from './testing/mosquitto.js';
import { FleetFixture, randomApp, type BrokerKind } from './testing/fleet-fixture.js';

beforeAll(() => {
  if (!mosquittoAvailable()) throw new Error('mosquitto is not installed (apt-get install mosquitto); these tests need a real broker');
});

const wire = (c: { rxBytes: number; txBytes: number }) => c.rxBytes + c.txBytes;

describe.each<BrokerKind>(['mosquitto', 'aedes'])('fleet rollout via %s', (kind) => {
  let f: FleetFixture;
  afterEach(async () => f?.close());

  it('rolls out to 20 devices in three waves, each wave after the previous one succeeded', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(10, 3000);
    await f.addDevices(18, 'lab', v1);
    // Two devices exercise recovery on the way: one loses every 3rd block, one loses power half way and resumes.
    const lossy = await f.addDevices(1, 'lab', v1, { faults: { dropEveryNthBlock: 3 }, timeoutMs: 300 }, 'lossy');
    const cut = await f.addDevices(1, 'lab', v1, { faults: { powerCutAt: 0.5 } }, 'cut');
    const v2 = { ...v1, 'lib/mod3.py': Buffer.alloc(9000, 7), 'main.py': Buffer.from('import app\napp.run(2)\n') };
    const rel = await f.service.buildRelease(f.project('v2', v2), { app: 'demo' });

    const r = f.service.startRollout(rel.seq, 'lab', { waves: [0.25, 0.5, 1], minFirstWave: 5, successRatio: 1, jitterMs: 50 });
    await f.untilRollout(r.id, 'completed');

    const waves = f.service.rollouts.waves(r.id);
    expect(waves.map((w) => w.size)).toEqual([5, 5, 10]);
    for (let i = 1; i < waves.length; i++) expect(waves[i].startedAt!).toBeGreaterThanOrEqual(waves[i - 1].finishedAt!);
    // No device of a later wave was told before the earlier wave had finished.
    for (const d of f.service.rollouts.devices(r.id)) {
      if (d.wave > 0) expect(d.notifiedAt!).toBeGreaterThanOrEqual(waves[d.wave - 1].finishedAt!);
      expect(d.state).toBe('succeeded');
    }
    for (const d of f.devices) {
      expect(d.flash.installedSeq).toBe(rel.seq);
      const active = d.flash.slots[d.flash.active];
      expect([...active.keys()].sort()).toEqual(Object.keys(v2).sort());
      for (const [p, data] of Object.entries(v2)) expect(active.get(p)!.equals(data)).toBe(true);
    }
    expect(lossy[0].reported.map((s) => s.st)).toContain('succeeded');
    // The resumed device went through its reboot mid-download and still fetched each block about once.
    expect(cut[0].reported.filter((s) => s.st === 'downloading').length).toBeGreaterThan(1);
    const steps = f.devices[5].reported.map((s) => s.st);
    expect(steps).toEqual(['downloading', 'downloading', 'downloading', 'downloading', 'verified', 'staged', 'trial', 'succeeded']);
  });

  it('sends only the 2 changed files of 10, within 1.2x of their size on the wire', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(10, 8000);
    const devs = await f.addDevices(5, 'lab', v1);
    const v2 = { ...v1, 'lib/mod2.py': Buffer.alloc(8000, 1), 'lib/mod7.py': Buffer.alloc(8000, 2) };
    const changed = 16000;
    const rel = await f.service.buildRelease(f.project('v2', v2));
    const before = devs.map((d) => wire(d.counts()));
    const served = f.service.blocks.stats.bytes;
    const r = f.service.startRollout(rel.seq, 'lab', { waves: [1], minFirstWave: 1, jitterMs: 0 });
    await f.untilRollout(r.id, 'completed');
    await f.until('final states published', () => devs.every((d) => f.service.devices.get(d.id)!.seq === rel.seq));

    // The block server sent the manifest and the two changed files, nothing else.
    const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    expect([...f.service.blocks.stats.bySha.keys()].sort()).toEqual([sha(rel.manifestText), sha(v2['lib/mod2.py']), sha(v2['lib/mod7.py'])].sort());
    expect(f.service.blocks.stats.bytes - served).toBeGreaterThanOrEqual(devs.length * changed);
    devs.forEach((d, i) => {
      const used = wire(d.counts()) - before[i];
      expect(used).toBeGreaterThan(changed);
      expect(used / changed).toBeLessThanOrEqual(1.2);
    });
  });

  it('finishes a rollout when the broker restarts in the middle (nothing retained survives)', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(6, 4000);
    await f.addDevices(20, 'lab', v1);
    const rel = await f.service.buildRelease(f.project('v2', { ...v1, 'lib/mod1.py': Buffer.alloc(20000, 3) }));
    // A slow notification rate keeps the second wave in progress when the broker goes down.
    const r = f.service.startRollout(rel.seq, 'lab', { waves: [0.25, 1], successRatio: 1, notifyPerSecond: 20, jitterMs: 0 });
    await f.until('second wave under way', () => f.rollout(r.id).wave === 1 && f.service.rollouts.devices(r.id, { wave: 1 }).some((d) => d.state !== 'pending'));
    await f.broker.restart();
    await f.untilRollout(r.id, 'completed');
    expect(f.devices.every((d) => d.flash.installedSeq === rel.seq)).toBe(true);
  });

  it('continues a rollout after the fleet service itself restarts', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(6, 4000);
    await f.addDevices(20, 'lab', v1);
    const rel = await f.service.buildRelease(f.project('v2', { ...v1, 'lib/mod2.py': Buffer.alloc(5000, 4) }));
    const r = f.service.startRollout(rel.seq, 'lab', { waves: [0.25, 1], successRatio: 1, notifyPerSecond: 20, jitterMs: 0 });
    await f.until('first wave done', () => f.rollout(r.id).wave === 1);
    await f.restartService();
    expect(f.rollout(r.id).state).toBe('running');
    await f.untilRollout(r.id, 'completed');
    expect(f.devices.every((d) => d.flash.installedSeq === rel.seq)).toBe(true);
    expect(f.service.audit.recent().map((a) => a.action)).toContain('service.started');
  });

  it('updates a device that was offline during the rollout when it comes back', async () => {
    f = await FleetFixture.start(kind);
    const v1 = randomApp(5, 3000);
    const devs = await f.addDevices(8, 'lab', v1);
    const away = devs[7];
    away.powerOff();
    await f.until('device offline', () => f.service.devices.get(away.id)!.online === false);
    const rel = await f.service.buildRelease(f.project('v2', { ...v1, 'lib/mod4.py': Buffer.alloc(3000, 9) }));
    const r = f.service.startRollout(rel.seq, 'lab', { waves: [0.5, 1], minFirstWave: 4, successRatio: 0.75, jitterMs: 0 });
    // Offline at the start, it is put in the last wave, so the first wave is not held waiting for it.
    expect(f.service.rollouts.device(r.id, away.id)!.wave).toBe(1);
    await f.untilRollout(r.id, 'completed');
    expect(f.service.rollouts.device(r.id, away.id)!.state).not.toBe('succeeded');
    expect(away.flash.installedSeq).toBe(0);

    await away.boot();
    await f.until('returning device updated', () => f.service.rollouts.device(r.id, away.id)!.state === 'succeeded');
    expect(away.flash.installedSeq).toBe(rel.seq);
  });

  // aedes has no shared subscriptions; mosquitto hands them out round-robin.
  it.runIf(kind === 'mosquitto')('shares block serving between the service and a separate block node (MQTT shared subscription)', async () => {
    f = await FleetFixture.start(kind, 'test/fleet', { blockShareGroup: 'blocks' });
    const node = await BlockNode.start({ endpoint: { url: f.broker.url }, prefix: f.prefix, blobDir: path.join(f.dir, 'data', 'blobs'), shareGroup: 'blocks' });
    try {
      const v1 = randomApp(4, 4000);
      await f.addDevices(10, 'lab', v1);
      const rel = await f.service.buildRelease(f.project('v2', { ...v1, 'lib/mod1.py': Buffer.alloc(16000, 8) }));
      const r = f.service.startRollout(rel.seq, 'lab', { waves: [1], successRatio: 1, jitterMs: 0 });
      await f.untilRollout(r.id, 'completed');
      // Both served. Round-robin sharing can reorder a device's blocks (two servers answer its
      // consecutive requests), which the device repairs by asking again: so at least, not exactly, once.
      expect(f.service.blocks.stats.requests).toBeGreaterThan(0);
      expect(node.server.stats.requests).toBeGreaterThan(0);
      expect(f.service.blocks.stats.bytes + node.server.stats.bytes).toBeGreaterThanOrEqual(10 * (16000 + Buffer.byteLength(rel.manifestText)));
      expect(f.devices.every((d) => d.flash.installedSeq === rel.seq)).toBe(true);
    } finally {
      await node.close();
    }
  });
});
