// Power cuts at every step of an update, on simulated boards running the real
// agent against the real fleet service and broker (aedes). Each board stops
// at one named step (the agent's test hook), the power is cut there, and the
// board must then boot a complete app, old or new, never a mix, and finish
// the update. The apps check themselves too: each main.py asserts that every
// module it imports belongs to its own release, so a mixed slot fails its trial.

import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FleetFixture } from '../testing/fleet-fixture.js';
import { selfCheckingApp as app, sameApp } from './agent-apps.js';
import { AgentBoard, simBoardConfig } from './agent-board.js';
import { AgentWatch } from './agent-watch.js';

const PREFIX = 'cut/fleet';
let f: FleetFixture;
let watch: AgentWatch;
const boards: AgentBoard[] = [];

beforeAll(async () => {
  f = await FleetFixture.start('aedes', PREFIX);
  watch = await AgentWatch.start(f.broker.url, PREFIX);
}, 30_000);

afterAll(async () => {
  await Promise.all(boards.map((b) => b.close()));
  await watch?.close();
  await f?.close();
});

async function startBoards(ids: string[], halts: Array<string | undefined>, v1: Record<string, Buffer>, group: string): Promise<AgentBoard[]> {
  const made = ids.map((id, i) => {
    const cfg = simBoardConfig(f.broker.url, PREFIX, f.service.key.publicKey, id, { tags: [group], trace: true, halt: halts[i] });
    return AgentBoard.create(path.join(f.dir, 'boards', id), cfg, v1);
  });
  boards.push(...made);
  await Promise.all(made.map((b) => b.powerOn()));
  await f.until(`${ids.length} boards registered`, () => ids.every((id) => f.service.devices.get(id)?.tags.includes(group)), 60_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${made.map((b) => `${b.id}: ${b.output}`).join('\n')}`);
  });
  return made;
}

// Every named step of download, stage, switch and first boot (`a.at(...)` in ota/device/mote_ota/*.py).
const STEPS = [
  'manifest', 'download.block', 'download.file', 'verified',
  'stage.file', 'staged',
  'switch.trial', 'switch.slot',
  'boot.trial', 'boot.ran', 'boot.confirmed',
];

it('cut at every step of an update, each board boots a complete app and then finishes the update', async () => {
  const data = Buffer.alloc(20_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 253;
  const v1 = app({ mod1: 1, mod2: 1, mod3: 1, old: 1 }, Buffer.alloc(5000, 1));
  // main.py, two modules and the data file change, one module goes and one comes; mod3 stays.
  const v2 = app({ mod1: 2, mod2: 2, mod3: 1, added: 2 }, data);
  const ids = STEPS.map((s) => `cut-${s.replace('.', '-')}`);
  const t0 = Date.now();
  const bs = await startBoards(ids, STEPS, v1, 'cut');
  const booted = Date.now();

  const rel = await f.service.buildRelease(f.project('v2', v2), { app: 'demo' });
  const ro = f.service.startRollout(rel.seq, 'cut', { waves: [1], minFirstWave: 1, successRatio: 1, failureRatio: 0.99, jitterMs: 0 });

  await Promise.all(bs.map(async (b, i) => {
    await watch.untilTrace(b.id, STEPS[i], 120_000);
    // The board is stopped at its step: this is the flash a power cut leaves.
    const now = b.activeApp();
    expect(sameApp(now, v1) || sameApp(now, v2), `${b.id}: slot ${b.activeSlot()} holds ${[...now.keys()].sort().join(' ')}`).toBe(true);
    // Up to the switch the old app is what boots; from the switch on, the new one.
    expect(sameApp(now, i >= STEPS.indexOf('switch.slot') ? v2 : v1), b.id).toBe(true);
    await b.powerCut();
  }));
  const cut = Date.now();

  await f.until('every board updated and its state published', () => ids.every((id) => f.service.rollouts.device(ro.id, id)?.state === 'succeeded' && f.service.devices.get(id)?.seq === rel.seq), 120_000);
  for (const b of bs) {
    expect(sameApp(b.activeApp(), v2), b.id).toBe(true);
    // A mixed app would have failed its own check and been rolled back.
    expect(watch.steps(b.id)).not.toContain('rolled_back');
  }
  // A cut on the first boot only repeats the trial; boot.py did not give up on it.
  for (const s of ['boot.trial', 'boot.ran', 'boot.confirmed']) expect(watch.steps(`cut-${s.replace('.', '-')}`).filter((x) => x === 'trial').length).toBe(2);
  console.log(`power cuts: ${ids.length} boards booted in ${booted - t0} ms, all cut in ${cut - booted} ms, all updated ${Date.now() - cut} ms later`);
}, 300_000);

it('reports a fallback: boot.py giving up after repeated failed boots, and a rollback cut half way', async () => {
  const v1 = app({ mod1: 1 }, Buffer.alloc(100, 1));
  const [looping] = await startBoards(['fb-boot-loop'], [undefined], v1, 'loop');
  const [cutRb] = await startBoards(['fb-rollback-cut'], ['rollback.note'], v1, 'raise');
  // A new app that resets the board as it starts: the agent never gets to confirm or refuse it.
  const resets = await f.service.buildRelease(f.project('resets', { ...v1, 'main.py': 'import machine\nmachine.reset()\n' }), { app: 'demo' });
  const raises = await f.service.buildRelease(f.project('raises', { ...v1, 'main.py': 'raise ValueError("bad config")\n' }), { app: 'demo' });
  const policy = { waves: [1], minFirstWave: 1, jitterMs: 0 };
  const roLoop = f.service.startRollout(resets.seq, 'loop', policy);
  const roRaise = f.service.startRollout(raises.seq, 'raise', policy);

  // The agent writes its fallback note, then is cut before it moves the pointer back.
  await watch.untilTrace(cutRb.id, 'rollback.note', 120_000);
  expect(cutRb.activeSlot()).toBe('b');
  await cutRb.powerCut();

  const outcome = (ro: number, id: string) => f.service.rollouts.device(ro, id);
  await f.until('both boards back on their old app', () => outcome(roLoop.id, looping.id)?.state === 'rolled_back' && outcome(roRaise.id, cutRb.id)?.state === 'rolled_back', 120_000);
  expect(outcome(roLoop.id, looping.id)!.why).toMatch(/^boot\.py went back to slot a after 3 boots of slot b/);
  expect(watch.steps(looping.id).filter((s) => s === 'trial').length).toBe(3);
  expect(outcome(roRaise.id, cutRb.id)!.why).toBe('main.py raised ValueError: bad config');
  for (const b of [looping, cutRb]) {
    expect(b.activeSlot(), b.id).toBe('a');
    expect(sameApp(b.activeApp(), v1), b.id).toBe(true);
    await f.until(`${b.id} state published`, () => f.service.devices.get(b.id)?.lastState === 'rolled_back');
    expect(f.service.devices.get(b.id)!.seq).toBe(0);
  }
}, 300_000);
