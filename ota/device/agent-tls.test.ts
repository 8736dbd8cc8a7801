// The real agent reaching the broker over TLS: mosquitto with a TLS listener
// and passwords, simulated boards provisioned (the real provisioning path,
// over the board's REPL) with mqtts:// and the broker's CA, and the fleet
// service on the same broker over TLS. One release goes through; a board
// given another CA never registers and its log says why.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { makeTestCerts, type TestCerts } from '../../runtime/sim/node/net/tls-test-kit.js';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';
import { readCaCertificate } from '../provision/device-config.js';
import { provisionBoard } from '../provision/provision-board.js';
import { FleetService } from '../server/fleet-service.js';
import { writeProject } from '../testing/fleet-fixture.js';
import { Mosquitto, mosquittoAvailable } from '../testing/mosquitto.js';
import { waitFor } from '../testing/wait-for.js';
import { SIM_WIFI } from './agent-board.js';

const PREFIX = 'tls/fleet';
const USERS = { fleet: 'fleet-pw', 'tls-good': 'good-pw', 'tls-wrong': 'wrong-pw' };
let m: Mosquitto;
let svc: FleetService;
let other: TestCerts;
let dir = '';
const boards: Array<{ board: SimBoard; log: () => string }> = [];

beforeAll(async () => {
  if (!mosquittoAvailable()) throw new Error('mosquitto is not installed');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-agent-tls-'));
  m = await Mosquitto.start({ users: USERS, tls: true });
  other = makeTestCerts();
  svc = await FleetService.start({
    dataDir: path.join(dir, 'data'),
    broker: { kind: 'external', url: m.tlsUrl, username: 'fleet', password: USERS.fleet, ca: fs.readFileSync(m.caFile, 'utf8') },
    prefix: PREFIX,
  });
}, 30_000);

afterAll(async () => {
  await Promise.all(boards.map((b) => b.board.close()));
  await svc?.close();
  await m?.close();
  if (other) fs.rmSync(other.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A simulated board with an app, provisioned through its REPL as `mote ota provision` does, then reset into the agent. */
async function provisioned(id: keyof typeof USERS, ca: Uint8Array): Promise<{ board: SimBoard; log: () => string }> {
  const filesDir = path.join(dir, id);
  writeProject(filesDir, { 'main.py': 'V = 1\n' });
  const board = await SimBoard.start({ filesDir });
  let out = '';
  board.onData((d) => (out = (out + Buffer.from(d).toString('utf8')).slice(-8192)));
  const b = { board, log: () => out };
  boards.push(b);
  const session = new BoardSession(board);
  await provisionBoard(new BoardFs(session), {
    id, broker: m.tlsUrl, ca, user: id, password: USERS[id], prefix: PREFIX, publicKey: svc.key.publicKey,
    tags: ['tls'], block: 1024, wifi: { ssid: SIM_WIFI.ssid, password: SIM_WIFI.wifi_password },
  });
  await board.hardReset();
  return b;
}

it('a board provisioned with mqtts:// and the CA registers over TLS and takes a release; one given another CA never registers and logs why', async () => {
  const good = await provisioned('tls-good', readCaCertificate(m.caFile));
  // Provisioning wrote the TLS port and the CA as DER; the broker's plain listener is never used.
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'tls-good', 'ota', 'config.json'), 'utf8'))).toMatchObject({ tls: true, port: m.tlsPort });
  expect(fs.readFileSync(path.join(dir, 'tls-good', 'ota', 'ca.der')).equals(readCaCertificate(m.caFile))).toBe(true);
  const wrong = await provisioned('tls-wrong', other.caDer);

  const changed = [(cb: () => void) => svc.onDeviceChanged(cb), (cb: () => void) => svc.engine.onRolloutChanged(cb)];
  // Its group comes with its retained state, after 'online': the rollout below targets the group.
  await waitFor('the TLS board registered', () => svc.devices.get('tls-good')?.tags.includes('tls') === true, changed, 60_000);
  await waitFor('the wrong-CA board gave its reason', () => wrong.log().includes('TLS to the broker failed'), [(cb) => wrong.board.onData(cb)], 60_000);
  expect(wrong.log()).toContain('mote_ota: TLS to the broker failed (The certificate is not correctly signed by the trusted CA); retrying');

  const rel = await svc.buildRelease(writeProject(path.join(dir, 'v2'), { 'main.py': 'V = 2\n' }), { app: 'demo' });
  const ro = svc.startRollout(rel.seq, 'tls', { waves: [1], minFirstWave: 1, jitterMs: 0 });
  await waitFor('the TLS board confirmed the release', () => svc.rollouts.device(ro.id, 'tls-good')?.state === 'succeeded', changed, 120_000);
  await waitFor('its new state published', () => svc.devices.get('tls-good')?.seq === rel.seq, changed, 30_000);
  const slot = fs.readFileSync(path.join(dir, 'tls-good', 'ota', 'slot'), 'utf8');
  expect(fs.readFileSync(path.join(dir, 'tls-good', 'app', slot, 'main.py'), 'utf8')).toBe('V = 2\n');

  // Through all of that the other board kept failing its handshake and never got in.
  expect(svc.devices.get('tls-wrong')).toBeNull();
  expect(good.log()).not.toContain('mote_ota: TLS to the broker failed');
}, 240_000);
