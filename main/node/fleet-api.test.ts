// The IDE's fleet surface end to end: embedded broker, simulated fleet from a
// project folder, a release of the edited project, a rollout watched through
// the throttled change event.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { FleetApi } from './fleet-api.js';
import { waitFor } from '../../ota/testing/wait-for.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-fleet-api-'));
let api: FleetApi | null = null;
afterAll(async () => {
  await api?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('simulates 5 devices from the project, releases an edit and shows all 5 reach it', async () => {
  api = await FleetApi.start({ dataDir: path.join(dir, 'data') });
  const project = path.join(dir, 'blink');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'main.py'), 'print("v1")\n');
  await api.simulateFleet(5, 'demo', project);
  const changes = (cb: () => void) => api!.onChange(cb);
  await waitFor('5 devices listed', () => api!.overview('demo').devices.length === 5, [changes]);

  fs.writeFileSync(path.join(project, 'main.py'), 'print("v2")\n');
  const rel = await api.createRelease(project);
  expect(rel).toMatchObject({ app: 'blink', files: 1 });
  const ro = api.startRollout(rel.seq, 'demo', { waves: [0.4, 1], minFirstWave: 2, successRatio: 1, jitterMs: 0 });
  await waitFor('all 5 on the release', () => api!.overview('demo').devices.every((d) => d.seq === rel.seq), [changes]);
  const view = api.overview().rollouts.find((r) => r.id === ro.id)!;
  expect(view.state).toBe('completed');
  expect(view.waveViews.map((w) => [w.size, w.byState.succeeded])).toEqual([[2, 2], [3, 3]]);
  expect(api.overview().broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
  expect(api.audit().map((a) => a.action)).toEqual(expect.arrayContaining(['fleet.simulated', 'release.created', 'rollout.completed']));
});
