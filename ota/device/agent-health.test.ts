// Health confirmation of an app that runs its own loop (calling
// mote_ota.agent.poll()), on simulated boards running the real agent: after
// the confirmation deadline its healthy() decides between keeping the new
// release and rolling back by itself.

import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FleetFixture } from '../testing/fleet-fixture.js';
import { sameApp } from './agent-apps.js';
import { AgentBoard, simBoardConfig } from './agent-board.js';

let f: FleetFixture;
const boards: AgentBoard[] = [];

beforeAll(async () => {
  f = await FleetFixture.start('aedes', 'health/fleet');
}, 30_000);

afterAll(async () => {
  await Promise.all(boards.map((b) => b.close()));
  await f?.close();
});

const looping = (healthy: string) => Buffer.from(`import mote_ota.agent as ota
n = 0
def healthy():
    return ${healthy}
while True:
    n += 1
    ota.poll(50)
`);

it('a looping app is confirmed when healthy() holds at the deadline, and rolled back when it does not', async () => {
  const v1 = { 'main.py': Buffer.from('V = 1\n') };
  const [good, bad] = ['loop-healthy', 'loop-unhealthy'].map((id, i) => {
    const cfg = simBoardConfig(f.broker.url, f.prefix, f.service.key.publicKey, id, { tags: [i ? 'bad' : 'good'], confirm_ms: 1500 });
    return AgentBoard.create(path.join(f.dir, 'boards', id), cfg, v1);
  });
  boards.push(good, bad);
  await Promise.all(boards.map((b) => b.powerOn()));
  // Online comes first; the tags arrive with the board's retained state, and a rollout targets them.
  await f.until('boards registered with their groups', () => boards.every((b, i) => f.service.devices.get(b.id)?.tags.includes(i ? 'bad' : 'good')), 60_000);

  const okApp = { 'main.py': looping('n > 3') };
  const badApp = { 'main.py': looping('False') };
  const okRel = await f.service.buildRelease(f.project('ok', okApp), { app: 'demo' });
  const badRel = await f.service.buildRelease(f.project('bad', badApp), { app: 'demo' });
  const policy = { waves: [1], minFirstWave: 1, jitterMs: 0 };
  const roOk = f.service.startRollout(okRel.seq, 'good', policy);
  const roBad = f.service.startRollout(badRel.seq, 'bad', policy);
  const state = (ro: number, id: string) => f.service.rollouts.device(ro, id);
  await f.until('both decided', () => state(roOk.id, good.id)?.state === 'succeeded' && state(roBad.id, bad.id)?.state === 'rolled_back', 120_000);
  expect(state(roBad.id, bad.id)!.why).toBe('healthy() returned False');
  expect(sameApp(good.activeApp(), okApp)).toBe(true);
  expect(sameApp(bad.activeApp(), v1)).toBe(true);
  await f.until('states published', () => f.service.devices.get(good.id)?.seq === okRel.seq && f.service.devices.get(bad.id)?.lastState === 'rolled_back');
}, 180_000);
