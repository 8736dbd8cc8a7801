// A fleet of 20 simulated boards running the real agent (ota/device/*.py on
// the MicroPython wasm interpreter, sockets through the simulator's network)
// against the real fleet service, with mosquitto and with aedes: a rollout
// in three waves where only the 2 changed files of 10 travel, through two
// faults folded into the same rollout (booting 20 boards is the costly part):
// one board is off the whole time and updates when it comes back, and the
// broker restarts, keeping nothing retained, once the second wave is under way.
// Then bad releases on the same boards: one whose main.py fails its health
// check (rolled back, rollout paused), a tampered file and a forged manifest.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import mqtt from 'mqtt';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeJson, type DesiredMessage } from '../common/messages.js';
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

  it(`rolls out to ${BOARDS} boards in three waves through a broker restart; a board off meanwhile updates when it returns; only the 2 changed files of 10 travel; then refuses bad releases`, async () => {
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

    // Off before the rollout: the broker publishes its last will (online=0).
    const away = boards[BOARDS - 1];
    const present = boards.filter((b) => b !== away);
    await away.close();
    await f.until(`${away.id} offline`, () => f.service.devices.get(away.id)!.online === false);

    const rel = await f.service.buildRelease(f.project('v2', v2));
    // The engine does not skip offline devices: the away board, offline at the start, goes in the
    // last wave, is told like the others and stays 'notified', counting against that wave's success
    // ratio (9 of 10 clears 0.8); a higher ratio would keep the rollout open until the board is back.
    const ro = f.service.startRollout(rel.seq, 'lab', { waves: [0.25, 0.5, 1], minFirstWave: 5, successRatio: 0.8, jitterMs: 200 });
    const inWave = (w: number) => f.service.rollouts.devices(ro.id, { wave: w });
    // The restart comes while second-wave boards download, so blocks and retained messages are lost mid-way.
    await f.until('second wave downloading', () => f.rollout(ro.id).wave === 1 && inWave(1).some((d) => d.state === 'downloading'), 180_000);
    const inFlight = inWave(1).filter((d) => d.state !== 'pending' && d.state !== 'succeeded' && d.deviceId !== away.id).length;
    const restartAt = Date.now();
    await f.broker.restart();
    await f.untilRollout(ro.id, 'completed', 180_000);
    // A wave may advance at 4 of 5: wait for the present boards' own outcomes, not only the rollout's.
    await f.until('present boards succeeded', () => present.every((b) => f.service.rollouts.device(ro.id, b.id)!.state === 'succeeded'), 60_000);
    const done = Date.now();

    const waves = f.service.rollouts.waves(ro.id);
    expect(waves.map((w) => w.size)).toEqual([5, 5, 10]);
    for (let i = 1; i < waves.length; i++) expect(waves[i].startedAt!).toBeGreaterThanOrEqual(waves[i - 1].finishedAt!);
    // The second wave was still downloading at the restart, so its end and the third wave came through the new broker.
    expect(waves[1].finishedAt!).toBeGreaterThan(restartAt);
    for (const d of f.service.rollouts.devices(ro.id)) {
      if (d.wave > 0) expect(d.notifiedAt!).toBeGreaterThanOrEqual(waves[d.wave - 1].finishedAt!);
    }
    for (const b of present) expect(sameApp(b.activeApp(), v2), b.id).toBe(true);
    expect(sameApp(away.activeApp(), v1)).toBe(true);
    expect(f.service.rollouts.device(ro.id, away.id)!.state).not.toBe('succeeded');

    // Back after the rollout: the desired release waits for it (retained, or re-published after the restart).
    await away.powerOn();
    // Its status (succeeded) comes just before its retained state (the new seq): both are awaited.
    await f.until(`${away.id} updated on its return`, () =>
      f.service.rollouts.device(ro.id, away.id)!.state === 'succeeded' && f.service.devices.get(away.id)!.seq === rel.seq, 60_000);
    const back = Date.now();
    expect(sameApp(away.activeApp(), v2), away.output).toBe(true);

    // Served: the manifest and the two changed files, each once per board (a lost block may add a window).
    const served = f.service.blocks.stats.bySha;
    expect([...served.keys()].sort()).toEqual([sha(Buffer.from(rel.manifestText)), sha(v2['main.py']), sha(v2['mod4.py'])].sort());
    const changedBytes = v2['main.py'].length + v2['mod4.py'].length;
    expect(served.get(sha(v2['mod4.py']))!).toBeGreaterThanOrEqual(BOARDS * v2['mod4.py'].length);
    expect(served.get(sha(v2['mod4.py']))! + served.get(sha(v2['main.py']))!).toBeLessThanOrEqual(BOARDS * changedBytes * 1.2);
    // The agents print each pause of their reconnect backoff (0.5 s doubling): the longest shows what the restart cost.
    const pauses = present.flatMap((b) => [...b.output.matchAll(/retrying in (\d+) ms/g)].map((m) => Number(m[1])));
    console.log(`${kind}: ${BOARDS} real-agent boards up in ${up - t0} ms, rollout (3 waves, broker restarted with ${inFlight} boards in flight) in ${done - up} ms, ` +
      `restart to completion ${done - restartAt} ms (${pauses.length} reconnect pauses, longest ${Math.max(0, ...pauses)} ms), waves ${waves.map((w) => `${w.finishedAt! - w.startedAt!} ms`).join(' / ')}, ` +
      `away board (wave ${f.service.rollouts.device(ro.id, away.id)!.wave + 1}) updated ${back - done} ms after power-on, ${Math.round(f.service.blocks.stats.bytes / BOARDS)} B served per board for ${changedBytes} B changed`);

    // Bad releases, on the same 20 boards. A release whose main.py raises at start: the first
    // wave's boards roll back by themselves, the rollout pauses at its failure threshold, and the
    // second wave is never told.
    const t3 = Date.now();
    const v3 = { ...v2, 'main.py': Buffer.from("raise RuntimeError('v3 cannot start')\n") };
    const r3 = await f.service.buildRelease(f.project('v3', v3));
    const ro3 = f.service.startRollout(r3.seq, 'lab', { waves: [0.25, 1], minFirstWave: 5, minFinished: 2, failureRatio: 0.2, jitterMs: 200 });
    await f.untilRollout(ro3.id, 'paused', 120_000);
    expect(f.rollout(ro3.id).reason).toMatch(/finished devices failed, above the 20% threshold/);
    // The pause drops messages not yet sent, so a first-wave board may never have been told; every board told rolls back.
    const settled = (id: number, outcome: string) => () => f.service.rollouts.devices(id, { wave: 0 }).every((d) => d.state === outcome || d.state === 'pending');
    await f.until('the told boards rolled back', settled(ro3.id, 'rolled_back'), 120_000);
    const tried = f.service.rollouts.devices(ro3.id, { wave: 0 }).filter((d) => d.state === 'rolled_back');
    expect(tried.length).toBeGreaterThanOrEqual(2);
    for (const d of tried) expect(d.why, d.deviceId).toMatch(/RuntimeError: v3 cannot start/);
    for (const d of f.service.rollouts.devices(ro3.id, { wave: 1 })) expect(d.state, d.deviceId).toBe('pending');
    // Every board runs a complete v2: the tried ones went back to it, the others never left it.
    for (const b of boards) expect(sameApp(b.activeApp(), v2), b.id).toBe(true);
    f.service.engine.cancel(ro3.id);
    const t4 = Date.now();

    // A tampered file: the block server's copy of a changed module no longer matches the signed manifest.
    const v4 = { ...v2, 'mod5.py': Buffer.from('V = 1\n# v4\n'), 'main.py': v2['main.py'] };
    const r4 = await f.service.buildRelease(f.project('v4', v4));
    // Same length, other bytes: what a device gets is the manifest's size but not its SHA-256.
    fs.writeFileSync(path.join(f.dir, 'data', 'blobs', sha(v4['mod5.py'])), Buffer.from(v4['mod5.py'].toString().replace('V = 1', 'V = 6')));
    const ro4 = f.service.startRollout(r4.seq, 'lab', { waves: [0.25, 1], minFirstWave: 5, minFinished: 2, failureRatio: 0.2, jitterMs: 200 });
    await f.untilRollout(ro4.id, 'paused', 120_000);
    await f.until('the told boards refused the file', settled(ro4.id, 'failed'), 120_000);
    const refused = f.service.rollouts.devices(ro4.id, { wave: 0 }).filter((d) => d.state === 'failed');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const d of refused) expect(d.why, d.deviceId).toMatch(/hash mismatch: mod5\.py/);
    for (const b of boards) expect(sameApp(b.activeApp(), v2), b.id).toBe(true);
    f.service.engine.cancel(ro4.id);

    // A tampered manifest: someone on the broker tells a board to install a release with a forged signature.
    // A board that has just refused v4's file, so its last finished release is v4.
    const target = refused[0].deviceId;
    const attacker = await mqtt.connectAsync(f.broker.url, { protocolVersion: 4 });
    // The text is a real release's (the board can fetch it by its hash); the signature is not the fleet's.
    // A sequence number the board has not finished: an agent ignores the one it finished last.
    const text = Buffer.from(r4.manifestText);
    const forged: DesiredMessage = { seq: r4.seq + 1, h: sha(text), n: text.length, s: Buffer.alloc(64, 1).toString('base64'), j: 0 };
    await attacker.publishAsync(f.service.topics.device(target, 'desired'), encodeJson(forged), { qos: 1, retain: true });
    await attacker.endAsync();
    await f.until(`${target} refused the forged release`, () =>
      f.service.audit.recent().some((a) => a.action === 'device.rejected' && a.detail.device === target), 60_000);
    const refusal = f.service.audit.recent().find((a) => a.action === 'device.rejected' && a.detail.device === target)!;
    expect(refusal.detail.why).toBe('bad signature on manifest');
    expect(sameApp(boards.find((b) => b.id === target)!.activeApp(), v2)).toBe(true);
    console.log(`${kind}: failed health check, rolled back and paused in ${t4 - t3} ms; tampered file and forged manifest refused in ${Date.now() - t4} ms`);
  }, 420_000);
});
