// Provisioning a simulated board served on a pseudo-terminal, through real
// serialport and the verified upload path, as a USB board would be; after a
// reset the agent it wrote connects to the fleet with the config it wrote.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { SerialLink } from '../../runtime/node/serial-link.js';
import { serveSimOnPty, type SimPtyServer } from '../../runtime/sim/node/sim-pty.js';
import { SIM_WIFI } from '../device/agent-board.js';
import { FleetFixture } from '../testing/fleet-fixture.js';
import { provisionBoard, type ProvisionProgress } from './provision-board.js';

let f: FleetFixture;
let server: SimPtyServer;
let link: SerialLink;
let filesDir = '';

beforeAll(async () => {
  f = await FleetFixture.start('aedes', 'prov/fleet');
  filesDir = path.join(f.dir, 'board');
  fs.mkdirSync(filesDir);
  // The board's own program before provisioning.
  fs.writeFileSync(path.join(filesDir, 'main.py'), "print('my app')\n");
  server = await serveSimOnPty({ ptyPath: path.join(f.dir, 'tty-board'), filesDir });
  link = await SerialLink.open({ path: server.ptyPath });
}, 30_000);

afterAll(async () => {
  await link?.close().catch(() => undefined);
  await server?.close();
  await f?.close();
});

it('writes the agent, its config and the fleet key over a serial link; after a reset the board joins the fleet', async () => {
  const board = new BoardFs(new BoardSession(link));
  const seen: ProvisionProgress[] = [];
  const r = await provisionBoard(board, {
    id: 'prov-1', broker: f.broker.url, user: 'prov-1', password: 'pw-not-in-logs', prefix: 'prov/fleet',
    publicKey: f.service.key.publicKey, tags: ['bench'], wifi: { ssid: SIM_WIFI.ssid, password: SIM_WIFI.wifi_password },
  }, { onProgress: (p) => seen.push(p) });

  expect(r.movedApp).toBe(true);
  expect(r.written).toContain('/lib/mote_ota/agent.py');
  expect(r.written.at(-1)).toBe('/main.py');
  expect(seen.map((p) => p.path)).toEqual(r.written);
  expect(JSON.stringify(seen)).not.toContain('pw-not-in-logs');
  // Read back over the link: the config the agent will use, and the user's program kept as slot a.
  const cfg = JSON.parse((await board.get('/ota/config.json')).toString());
  expect(cfg).toMatchObject({ id: 'prov-1', host: '127.0.0.1', port: Number(new URL(f.broker.url).port), user: 'prov-1', password: 'pw-not-in-logs', prefix: 'prov/fleet', key: f.service.key.publicKey.toString('hex') });
  expect((await board.get('/app/a/main.py')).toString()).toBe("print('my app')\n");
  expect((await board.get('/main.py')).equals(fs.readFileSync(path.join(import.meta.dirname, '..', 'device', 'main.py')))).toBe(true);

  await link.close();
  await server.board.hardReset();
  await f.until('the provisioned board registered', () => f.service.devices.get('prov-1')?.tags.includes('bench') ?? false, 60_000);
  const d = f.service.devices.get('prov-1')!;
  expect(d.online).toBe(true);
  expect(d.slot).toBe('a');
}, 120_000);

it('refuses bad settings before touching the board', async () => {
  const key = f.service.key.publicKey;
  const board = {} as BoardFs; // never reached: the settings are checked first
  await expect(provisionBoard(board, { id: 'a/b', broker: 'mqtt://h', publicKey: key })).rejects.toThrow(/invalid device id "a\/b"/);
  await expect(provisionBoard(board, { id: 'x', broker: 'mqtts://h', publicKey: key })).rejects.toThrow(/mqtts:\/\/ needs the broker's CA certificate/);
  await expect(provisionBoard(board, { id: 'x', broker: 'mqtt://h', publicKey: key, ca: new Uint8Array(10) })).rejects.toThrow(/for mqtts:\/\/ brokers/);
  await expect(provisionBoard(board, { id: 'x', broker: 'mqtts://h', publicKey: key, ca: new Uint8Array(10) })).rejects.toThrow(/not an X\.509 certificate/);
  await expect(provisionBoard(board, { id: 'x', broker: 'ws://h', publicKey: key })).rejects.toThrow(/over MQTT \(mqtt:\/\/host:port\) or MQTT over TLS/);
  await expect(provisionBoard(board, { id: 'x', broker: 'mqtt://u:p@h', publicKey: key })).rejects.toThrow(/not in the URL/);
  await expect(provisionBoard(board, { id: 'x', broker: 'mqtt://h', publicKey: key.subarray(0, 31) })).rejects.toThrow(/32 bytes/);
  await expect(provisionBoard(board, { id: 'x', broker: 'mqtt://h', publicKey: key, password: 'p' })).rejects.toThrow(/needs a user/);
});
