// The IDE's fleet calls against the real fleet service, its embedded aedes
// broker, and simulated boards running the real MicroPython agent
// (ota/device) through the simulator's network: nothing here is mocked.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetStatus } from '../common/fleet-types.js';
import { validateCall } from '../common/api.js';
import { deviceBrokerPassword } from '../../ota/server/broker/device-login.js';
import { fleetApi } from './fleet-api.js';
import { EMBEDDED_SECRET } from './fleet/broker-settings.js';
import { useFreeBrokerPort } from './fleet/broker-test-port.js';
import { FileSecretStore } from './secrets/secret-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-fleet-api-'));
const project = path.join(dir, 'blink');
const dataDir = path.join(dir, 'data');
const events: Array<{ at: number; status: FleetStatus }> = [];
const listeners = new Set<() => void>();
let fleet: ReturnType<typeof fleetApi>;

/** Resolves when `cond` holds for the newest `fleet` event (or at once for the current status). */
async function until(what: string, cond: (s: FleetStatus) => boolean, timeoutMs = 120_000): Promise<FleetStatus> {
  const now = await fleet.fleetStatus();
  if (cond(now)) return now;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listeners.delete(check);
      reject(new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(events.at(-1)?.status.devices ?? [])}`));
    }, timeoutMs);
    const check = () => {
      const s = events.at(-1)!.status;
      if (!cond(s)) return;
      clearTimeout(timer);
      listeners.delete(check);
      resolve(s);
    };
    listeners.add(check);
  });
}

beforeAll(async () => {
  fs.mkdirSync(project, { recursive: true });
  // An app that returns, so the agent's trial run of it finishes and confirms health.
  fs.writeFileSync(path.join(project, 'main.py'), 'import blink\n');
  fs.writeFileSync(path.join(project, 'blink.py'), 'VERSION = 2\nprint("blink", VERSION)\n');
  // Enough bytes (30 blocks) that downloading spans more than one 250 ms dashboard event.
  fs.writeFileSync(path.join(project, 'sounds.bin'), randomBytes(60_000));
  await useFreeBrokerPort(dataDir);
  fleet = fleetApi({
    dataDir,
    projectRoot: () => project,
    emit: (event, payload) => {
      if (event !== 'fleet') return;
      events.push({ at: Date.now(), status: payload as FleetStatus });
      for (const l of [...listeners]) l();
    },
  });
});

afterAll(async () => {
  await fleet?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the fleet API', () => {
  it('refuses bad arguments with a specific message before anything runs', () => {
    expect(validateCall('fleetSimulate', [0])).toBe('count must be a whole number from 1 to 20');
    expect(validateCall('fleetSimulate', [2.5])).toBe('count must be a whole number from 1 to 20');
    expect(validateCall('fleetStartRollout', [1, 'bad group'])).toMatch(/group must be 1-64 letters/);
    expect(validateCall('fleetRolloutAction', [1, 'explode'])).toBe('action must be one of pause, resume, cancel, rollback');
    expect(validateCall('fleetRolloutAction', [3, 'pause'])).toBeNull();
  });

  it('runs the service, with the signing key in a 0600 file and no credentials in the status', async () => {
    const s = await fleet.fleetStatus();
    expect(s.broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(s.devices).toEqual([]);
    const key = path.join(dataDir, 'fleet', 'keys', 'ota-ed25519.pem');
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    const pem = fs.readFileSync(key, 'utf8');
    const body = pem.split('\n')[1];
    expect(JSON.stringify(s)).not.toContain(body);
    expect(JSON.stringify(s)).not.toContain('password');
  });

  it('gives clear errors for a rollout nobody can receive and for an unknown rollout', async () => {
    await expect(fleet.fleetStartRollout(1, 'nobody')).rejects.toThrow(/no release 1|has no devices/);
    await expect(fleet.fleetRolloutAction(99, 'pause')).rejects.toThrow('no rollout 99');
  });

  it('simulates 3 boards running the real agent, releases the project and shows all 3 reach it, step by step', async () => {
    const started = await fleet.fleetSimulate(3);
    expect(started.simulated).toEqual({ boards: 3, group: 'simulated' });
    // Each board boots MicroPython, joins the simulated Wi-Fi and connects with its provisioned credentials.
    const online = await until('3 boards online', (s) => s.devices.filter((d) => d.online && d.tags.includes('simulated')).length === 3);
    for (const d of online.devices) {
      expect(d).toMatchObject({ seq: 0, slot: 'a', port: 'rp2' });
      expect(d.mem).toBeGreaterThan(0);
    }
    // Each board logged in as itself (its id, a password derived from the broker's), not with the IDE's login.
    const brokerSecret = new FileSecretStore(dataDir).get(EMBEDDED_SECRET)!;
    for (const d of online.devices) {
      const cfg = JSON.parse(fs.readFileSync(path.join(dataDir, 'fleet', 'simulated-boards', d.id, 'ota', 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(cfg).toMatchObject({ user: d.id, password: deviceBrokerPassword(brokerSecret, d.id) });
    }

    const rel = await fleet.fleetCreateRelease();
    expect(rel).toMatchObject({ app: 'blink', files: 3, source: `folder ${project}` });
    const ro = await fleet.fleetStartRollout(rel.seq, 'simulated');
    // Default waves: the first holds at least 5 devices, so the whole group of 3.
    expect(ro.waves.map((w) => w.size)).toEqual([3]);

    const done = await until('all 3 on the release', (s) => s.devices.every((d) => d.seq === rel.seq) && s.rollouts[0]?.state === 'completed', 240_000);
    expect(done.rollouts[0].waves[0]).toMatchObject({ size: 3, succeeded: 3, failed: 0, finished: true });
    for (const d of done.devices) expect(d).toMatchObject({ status: 'succeeded', slot: 'b', error: null, app: 'blink' });
    // The dashboard saw the boards go through the steps, not only the end.
    const seen = new Set(events.flatMap((e) => e.status.devices.map((d) => d.status)));
    for (const step of ['downloading', 'succeeded']) expect(seen).toContain(step);
    // The new app is on each board's second slot, byte for byte.
    for (const d of done.devices) {
      expect(fs.readFileSync(path.join(dataDir, 'fleet', 'simulated-boards', d.id, 'app', 'b', 'blink.py'), 'utf8')).toBe('VERSION = 2\nprint("blink", VERSION)\n');
    }
    const actions = done.audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['fleet.simulated', 'release.created', 'rollout.started', 'rollout.completed']));
  }, 300_000);

  it('rate-limits the fleet event', () => {
    const gaps = events.slice(1).map((e, i) => e.at - events[i].at);
    // setTimeout may fire a millisecond early; never a flood.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(240);
  });

  it('pauses and resumes a rollout from the dashboard', async () => {
    fs.writeFileSync(path.join(project, 'blink.py'), 'VERSION = 3\nprint("blink", VERSION)\n');
    const rel = await fleet.fleetCreateRelease();
    const ro = await fleet.fleetStartRollout(rel.seq, 'simulated');
    await fleet.fleetRolloutAction(ro.id, 'pause');
    const paused = await fleet.fleetStatus();
    expect(paused.rollouts[0]).toMatchObject({ id: ro.id, state: 'paused', reason: 'paused by operator' });
    await expect(fleet.fleetRolloutAction(ro.id, 'pause')).rejects.toThrow(/paused/);
    await fleet.fleetRolloutAction(ro.id, 'resume');
    const done = await until('all 3 on the resumed release', (s) => s.devices.every((d) => d.seq === rel.seq) && s.rollouts[0]?.state === 'completed', 240_000);
    expect(done.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['rollout.paused', 'rollout.resumed']));
  }, 300_000);

  it('shows each board rolling a crashing release back by itself, with the reason, and rolls the group back to the good release', async () => {
    const good = (await fleet.fleetStatus()).releases[0].seq;
    fs.writeFileSync(path.join(project, 'main.py'), 'raise RuntimeError("boom")\n');
    const bad = await fleet.fleetCreateRelease();
    const ro = await fleet.fleetStartRollout(bad.seq, 'simulated');
    const failed = await until('3 boards rolled back', (s) => s.devices.filter((d) => d.status === 'rolled_back').length === 3, 240_000);
    for (const d of failed.devices) {
      expect(d.error).toMatch(/RuntimeError: boom/);
      expect(d.seq).toBe(good);
    }
    expect(failed.rollouts[0].waves[0]).toMatchObject({ failed: 3, succeeded: 0 });

    // Roll back while the bad rollout still waits for successes: it is canceled, and a new release with the good files goes out.
    await fleet.fleetRolloutAction(ro.id, 'rollback');
    const back = await until('all 3 on the rollback release', (s) => s.rollouts[0].id !== ro.id && s.rollouts[0].state === 'completed' && s.devices.every((d) => d.seq === s.rollouts[0].seq), 240_000);
    expect(back.rollouts[0].seq).toBeGreaterThan(bad.seq);
    expect(back.releases[0]).toMatchObject({ seq: back.rollouts[0].seq, source: `rollback to ${good}` });
    expect(back.rollouts.find((r) => r.id === ro.id)).toMatchObject({ state: 'canceled', reason: `rolled back to release ${good}` });
    for (const d of back.devices) expect(d).toMatchObject({ status: 'succeeded', error: null });
  }, 600_000);

  it('stops the simulated boards: they go offline through their last will', async () => {
    await fleet.fleetStopSimulation();
    const s = await until('boards offline', (x) => x.devices.every((d) => !d.online), 30_000);
    expect(s.simulated.boards).toBe(0);
  });

  it('shows how many boards of a running wave are offline (the wave waits for them)', async () => {
    fs.writeFileSync(path.join(project, 'blink.py'), 'VERSION = 5\nprint("blink", VERSION)\n');
    const rel = await fleet.fleetCreateRelease();
    const ro = await fleet.fleetStartRollout(rel.seq, 'simulated');
    const s = await until('the wave told its 3 offline boards', (x) => x.rollouts[0]?.id === ro.id && x.rollouts[0].waves[0].active === 3);
    expect(s.rollouts[0].waves[0]).toMatchObject({ size: 3, offline: 3, succeeded: 0, started: true, finished: false });
    await fleet.fleetRolloutAction(ro.id, 'cancel');
    expect((await fleet.fleetStatus()).rollouts[0].waves[0].offline).toBe(0);
  });
});
