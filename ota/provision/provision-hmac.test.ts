// "Provision this board" in the IDE with auth "hmac" (main/node/fleet/provision-api.ts)
// on the simulated board, against the real fleet service and broker: the
// board's config holds a key of its own, the service keeps the same key, and
// once powered on the board takes a release through the fleet with that key.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SIM_TARGET } from '../../main/node/board-connection.js';
import { provisionConnected, type ProvisionHost } from '../../main/node/fleet/provision-api.js';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';
import { startTestBoard, type TestBoard } from '../../runtime/sim/node/sim-test-kit.js';
import { SIM_WIFI } from '../device/agent-board.js';
import { FleetFixture } from '../testing/fleet-fixture.js';

let f: FleetFixture;
let tb: TestBoard | null = null;
let board: SimBoard | null = null;
let dir = '';

beforeAll(async () => {
  f = await FleetFixture.start('aedes', 'ide/fleet');
  dir = path.join(f.dir, 'board');
  fs.mkdirSync(dir);
  tb = await startTestBoard({ filesDir: dir });
}, 30_000);

afterAll(async () => {
  await tb?.close();
  await board?.close();
  await f?.close();
});

it('gives the board its own key, which the fleet service then uses for its releases', async () => {
  const host: ProvisionHost = {
    service: async () => f.service,
    board: () => ({ targetId: SIM_TARGET, fs: new BoardFs(tb!.session) }),
    transferring: (fn) => fn(new AbortController().signal),
    emit: () => undefined,
  };
  const id = 'ide-esp8266';
  const r = await provisionConnected(host, { id, broker: f.broker.url, wifiSsid: SIM_WIFI.ssid, wifiPassword: SIM_WIFI.wifi_password, tags: ['esp8266'], auth: 'hmac' });
  expect(JSON.stringify(r)).not.toMatch(/hmac|[0-9a-f]{64}/);
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'ota', 'config.json'), 'utf8')) as Record<string, unknown>;
  expect(cfg).toMatchObject({ id, auth: 'hmac' });
  expect(f.service.deviceKeys.get(id)?.toString('hex')).toBe(cfg.hmac);
  const audit = f.service.audit.recent().find((e) => e.action === 'fleet.provisioned');
  expect(JSON.stringify(audit)).toContain('"auth":"hmac"');
  expect(JSON.stringify(f.service.audit.recent())).not.toContain(String(cfg.hmac));

  // Power on as provisioned: boot.py, then main.py runs the agent.
  await tb!.close();
  tb = null;
  board = await SimBoard.start({ filesDir: dir });
  await f.until('the board registered', () => f.service.devices.get(id)?.tags.includes('esp8266') ?? false, 60_000);
  const rel = await f.service.buildRelease(f.project('v2', { 'main.py': 'V = 2\n' }), { app: 'demo' });
  const ro = f.service.startRollout(rel.seq, 'esp8266', { waves: [1], minFirstWave: 1, jitterMs: 0 });
  await f.until('the board updated', () => f.service.rollouts.device(ro.id, id)?.state === 'succeeded', 120_000);
  const slot = fs.readFileSync(path.join(dir, 'ota', 'slot'), 'utf8');
  expect(fs.readFileSync(path.join(dir, 'app', slot, 'main.py'), 'utf8')).toBe('V = 2\n');
}, 240_000);
