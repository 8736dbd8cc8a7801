// A fleet of 20 simulated boards running the real agent (ota/device/*.py on
// the MicroPython wasm interpreter, sockets through the simulator's network)
// against the real fleet service, with mosquitto and with aedes: a rollout
// in three waves where only the 2 changed files of 10 travel.

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoAvailable } from '../testing/mosquitto.js';
import { FleetFixture, type BrokerKind } from '../testing/fleet-fixture.js';
import { selfCheckingApp, sameApp } from './agent-apps.js';
import { AgentBoard, simBoardConfig } from './agent-board.js';

const BOARDS = 20;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(() => {
  if (!mosquittoAvailable()) throw new Error('mosquitto is not installed (apt-get install mosquitto); these tests need a real broker');
});

describe.each<BrokerKind>(['mosquitto', 'aedes'])('real agents via %s', (kind) => {
  let f: FleetFixture;
  let boards: AgentBoard[] = [];
  afterEach(async () => {
    await Promise.all(boards.map((b) => b.close()));
    boards = [];
    await f?.close();
  });

  it(`rolls out to ${BOARDS} boards in three waves; only the 2 changed files of 10 travel`, async () => {
    const t0 = Date.now();
    f = await FleetFixture.start(kind, 'agents/fleet');
    // 10 files: main.py, 8 modules of ~2 KB, a 4 KB data file.
    const mods = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`mod${i + 1}`, 1]));
    const v1 = selfCheckingApp(mods, Buffer.alloc(4000, 9), 2000);
    const v2 = selfCheckingApp({ ...mods, mod4: 2 }, Buffer.alloc(4000, 9), 2000);
    const changed = Object.keys(v2).filter((p) => !v1[p].equals(v2[p]));
    expect(changed.sort()).toEqual(['main.py', 'mod4.py']);

    boards = Array.from({ length: BOARDS }, (_, i) => {
      const id = `board-${String(i + 1).padStart(2, '0')}`;
      return AgentBoard.create(path.join(f.dir, 'boards', id), simBoardConfig(f.broker.url, f.prefix, f.service.key.publicKey, id, { tags: ['lab'] }), v1);
    });
    await Promise.all(boards.map((b) => b.powerOn()));
    await f.until(`${BOARDS} boards registered`, () => boards.every((b) => f.service.devices.get(b.id)?.tags.includes('lab')), 90_000);
    const up = Date.now();

    const rel = await f.service.buildRelease(f.project('v2', v2), { app: 'demo' });
    const ro = f.service.startRollout(rel.seq, 'lab', { waves: [0.25, 0.5, 1], minFirstWave: 5, successRatio: 1, jitterMs: 200 });
    await f.untilRollout(ro.id, 'completed', 180_000);
    const done = Date.now();

    const waves = f.service.rollouts.waves(ro.id);
    expect(waves.map((w) => w.size)).toEqual([5, 5, 10]);
    for (let i = 1; i < waves.length; i++) expect(waves[i].startedAt!).toBeGreaterThanOrEqual(waves[i - 1].finishedAt!);
    for (const d of f.service.rollouts.devices(ro.id)) {
      expect(d.state, d.deviceId).toBe('succeeded');
      if (d.wave > 0) expect(d.notifiedAt!).toBeGreaterThanOrEqual(waves[d.wave - 1].finishedAt!);
    }
    for (const b of boards) expect(sameApp(b.activeApp(), v2), b.id).toBe(true);
    // Served: the manifest and the two changed files, each once per board (a lost block may add a window).
    const served = f.service.blocks.stats.bySha;
    expect([...served.keys()].sort()).toEqual([sha(Buffer.from(rel.manifestText)), sha(v2['main.py']), sha(v2['mod4.py'])].sort());
    const changedBytes = v2['main.py'].length + v2['mod4.py'].length;
    expect(served.get(sha(v2['mod4.py']))!).toBeGreaterThanOrEqual(BOARDS * v2['mod4.py'].length);
    expect(served.get(sha(v2['mod4.py']))! + served.get(sha(v2['main.py']))!).toBeLessThanOrEqual(BOARDS * changedBytes * 1.2);
    console.log(`${kind}: ${BOARDS} real-agent boards up in ${up - t0} ms, rollout (3 waves) in ${done - up} ms, ` +
      `waves ${waves.map((w) => `${w.finishedAt! - w.startedAt!} ms`).join(' / ')}, ${Math.round(f.service.blocks.stats.bytes / BOARDS)} B served per board for ${changedBytes} B changed`);
  }, 300_000);
});
