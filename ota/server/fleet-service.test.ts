// The service as the IDE starts it: embedded aedes with credentials, a real
// SQLite file, a 0600 signing key that is never printed.

import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { writeProject } from '../testing/fleet-fixture.js';
import { EmbeddedBroker } from './broker/embedded-broker.js';
import { FleetService } from './fleet-service.js';

let svc: FleetService | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-fleet-svc-'));
afterEach(async () => {
  await svc?.close();
  svc = null;
});

it('starts the embedded broker with credentials, keeps a 0600 key, and keeps releases across restarts', async () => {
  const data = path.join(dir, 'data');
  const broker = { kind: 'embedded' as const, username: 'fleet', password: 's3cret-pass' };
  svc = await FleetService.start({ dataDir: data, broker });
  const key = path.join(data, 'keys', 'ota-ed25519.pem');
  expect(fs.statSync(key).mode & 0o777).toBe(0o600);
  const pem = fs.readFileSync(key, 'utf8');
  expect(inspect(svc.key)).not.toContain(pem.split('\n')[1]);
  expect(JSON.stringify(svc.key)).toMatch(/^"SigningKey\(public /);

  writeProject(path.join(dir, 'p'), { 'main.py': 'print(1)\n', 'lib/x.py': 'x = 1\n', '.moteignore': 'secret.txt\n', 'secret.txt': 'no' });
  const rel = await svc.buildRelease(path.join(dir, 'p'), { port: 'esp32', mpy: '1.20' });
  expect(rel.manifest.files.map((f) => f.path)).toEqual(['lib/x.py', 'main.py']);
  const pub = svc.key.publicKey;
  await svc.close();

  svc = await FleetService.start({ dataDir: data, broker });
  expect(svc.key.publicKey.equals(pub)).toBe(true);
  expect(svc.releases.get(rel.seq)?.manifestText).toBe(rel.manifestText);
  const raw = new Database(path.join(data, 'fleet.db'));
  expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
  raw.close();
  expect(svc.audit.recent().filter((a) => a.action === 'service.started')).toHaveLength(2);
});

it('refuses a wrong password, credentials in a URL, and a group-readable key, saying which', async () => {
  const broker = await EmbeddedBroker.start({ kind: 'embedded', username: 'u', password: 'right' });
  try {
    const url = broker.endpoint.url;
    await expect(FleetService.start({ dataDir: path.join(dir, 'd2'), broker: { kind: 'external', url, username: 'u', password: 'wrong' } })).rejects.toThrow(/refused/);
    svc = await FleetService.start({ dataDir: path.join(dir, 'd2'), broker: { kind: 'external', url, username: 'u', password: 'right' } });
    await svc.close();
    svc = null;
  } finally {
    await broker.close();
  }
  await expect(FleetService.start({ dataDir: path.join(dir, 'd3'), broker: { kind: 'external', url: 'mqtt://u:p@host' } })).rejects.toThrow(/not in the URL/);
  fs.chmodSync(path.join(dir, 'd2', 'keys', 'ota-ed25519.pem'), 0o644);
  await expect(FleetService.start({ dataDir: path.join(dir, 'd2'), broker: { kind: 'embedded' } })).rejects.toThrow(/chmod 600/);
});
