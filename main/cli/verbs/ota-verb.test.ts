// `mote ota provision` in-process through main(), on the built-in simulated
// board (files under --data-dir): the agent and its config land on the
// board, the broker password comes from the environment and is never printed.
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawPublicKey } from '../../../ota/common/ed25519-key.js';
import { DeviceKeys } from '../../../ota/server/registry/device-keys.js';
import { makeTestCerts } from '../../../runtime/sim/node/net/tls-test-kit.js';
import { simFilesDir } from '../board-target.js';
import { main } from '../mote.js';
import { capture } from '../test-cli-io.js';

let root = '';
let keyFile = '';
let publicHex = '';

async function mote(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(['--data-dir', path.join(root, 'data'), ...args], c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-ota-cli-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  keyFile = path.join(root, 'fleet.pem');
  fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  publicHex = rawPublicKey(publicKey).toString('hex');
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('provisions the simulated board with the public half of the fleet key and a password from the environment', async () => {
  process.env.MOTE_TEST_BROKER_PW = 'pw-from-env-42';
  try {
    const r = await mote('ota', 'provision', '--id', 'cli-1', '--broker', 'mqtt://10.0.0.2:1884', '--user', 'cli-1', '--password-env', 'MOTE_TEST_BROKER_PW', '--key', keyFile, '--tags', 'lab,east');
    expect(r.err).not.toContain('pw-from-env-42');
    expect(r.out).not.toContain('pw-from-env-42');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/provisioned cli-1: \d+ files written/);
    const files = simFilesDir(path.join(root, 'data'));
    const cfg = JSON.parse(fs.readFileSync(path.join(files, 'ota', 'config.json'), 'utf8'));
    expect(cfg).toEqual({ id: 'cli-1', host: '10.0.0.2', port: 1884, prefix: 'mote/fleet', key: publicHex, block: 2048, window: 4, user: 'cli-1', password: 'pw-from-env-42', tags: ['lab', 'east'] });
    expect(fs.existsSync(path.join(files, 'lib', 'mote_ota', 'agent.py'))).toBe(true);
    // Only the public half went out: no file on the board holds the private key.
    const secret = fs.readFileSync(keyFile, 'utf8').split('\n')[1];
    for (const e of fs.readdirSync(files, { recursive: true, withFileTypes: true }))
      if (e.isFile()) expect(fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')).not.toContain(secret);
  } finally {
    delete process.env.MOTE_TEST_BROKER_PW;
  }
}, 60_000);

it('--auth hmac gives the board a key of its own, kept on this computer where the fleet service finds it, never printed', async () => {
  const r = await mote('ota', 'provision', '--id', 'esp8266-7', '--broker', 'mqtt://10.0.0.2', '--key', keyFile, '--auth', 'hmac');
  expect(r.code, r.err).toBe(0);
  const cfg = JSON.parse(fs.readFileSync(path.join(simFilesDir(path.join(root, 'data')), 'ota', 'config.json'), 'utf8'));
  expect(cfg).toMatchObject({ id: 'esp8266-7', auth: 'hmac', key: publicHex });
  expect(cfg.hmac).toMatch(/^[0-9a-f]{64}$/);
  // The IDE's fleet service keeps its data in <data dir>/fleet: the same key is what it will use for this board.
  const keys = DeviceKeys.inFleetDir(path.join(root, 'data', 'fleet'));
  expect(keys.get('esp8266-7')?.toString('hex')).toBe(cfg.hmac);
  expect(fs.statSync(path.join(keys.dir, 'esp8266-7.key')).mode & 0o777).toBe(0o600);
  expect(fs.statSync(keys.dir).mode & 0o777).toBe(0o700);
  expect(r.out + r.err).not.toContain(cfg.hmac);

  // Provisioned again with the fleet signature: the host forgets the old key, the board's config has none.
  expect((await mote('ota', 'provision', '--id', 'esp8266-7', '--broker', 'mqtt://10.0.0.2', '--key', keyFile)).code).toBe(0);
  expect(keys.get('esp8266-7')).toBeNull();
  const again = JSON.parse(fs.readFileSync(path.join(simFilesDir(path.join(root, 'data')), 'ota', 'config.json'), 'utf8'));
  expect(again.auth).toBeUndefined();
  expect(again.hmac).toBeUndefined();
}, 60_000);

it('mqtts:// with --ca: the config says tls and port 8883, the CA goes to the board as DER in its own file', async () => {
  const certs = makeTestCerts();
  try {
    const r = await mote('ota', 'provision', '--id', 'tls-1', '--broker', 'mqtts://broker.lan', '--ca', certs.caFile, '--key', keyFile);
    expect(r.code, r.err).toBe(0);
    const files = simFilesDir(path.join(root, 'data'));
    const cfg = JSON.parse(fs.readFileSync(path.join(files, 'ota', 'config.json'), 'utf8'));
    expect(cfg).toMatchObject({ id: 'tls-1', host: 'broker.lan', port: 8883, tls: true });
    expect(fs.readFileSync(path.join(files, 'ota', 'ca.der')).equals(certs.caDer)).toBe(true);
    expect(r.err).toContain('/ota/ca.der');
  } finally {
    fs.rmSync(certs.dir, { recursive: true, force: true });
  }
}, 60_000);

it('explains what is missing or wrong', async () => {
  expect((await mote('ota', 'provision', '--broker', 'mqtt://h')).err).toMatch(/--id ID is required/);
  expect((await mote('ota', 'provision', '--id', 'x', '--broker', 'mqtt://h', '--user', 'u', '--password-env', 'MOTE_NOT_SET_ANYWHERE', '--key', keyFile)).err).toMatch(/MOTE_NOT_SET_ANYWHERE: that environment variable is not set/);
  expect((await mote('ota', 'provision', '--id', 'x', '--broker', 'mqtt://h', '--key', path.join(root, 'nope.pem'))).err).toMatch(/cannot read the fleet key .*nope\.pem: ENOENT/);
  expect((await mote('ota', 'provision', '--id', 'x', '--broker', 'mqtts://h', '--key', keyFile)).err).toMatch(/mqtts:\/\/ needs the broker's CA certificate/);
  expect((await mote('ota', 'provision', '--id', 'x', '--broker', 'mqtts://h', '--ca', keyFile, '--key', keyFile)).err).toMatch(/fleet\.pem is not an X\.509 certificate/);
  expect((await mote('ota', 'provision', '--id', 'x', '--broker', 'ws://h', '--key', keyFile)).err).toMatch(/over MQTT \(mqtt:\/\/host:port\) or MQTT over TLS/);
  expect((await mote('ota', 'frobnicate')).err).toMatch(/unknown command 'frobnicate'/);
  expect((await mote('ota', 'provision', '--id', 'x', '--broker', 'mqtt://h', '--key', keyFile, '--auth', 'rsa')).err).toMatch(/--auth is ed25519 .* or hmac .*, not rsa/);
}, 60_000);
