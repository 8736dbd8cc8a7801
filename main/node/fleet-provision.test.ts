// "Provision this board" through the IDE back end: the real simulated board
// (MicroPython wasm), the real fleet service with its embedded broker and
// signing key. The board's files are read back through the same back end.

import { createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCall, type MoteEvents, type TransferProgress } from '../common/api.js';
import type { BoardFs } from '../../runtime/common/board-fs.js';
import { agentFiles } from '../../ota/device/agent-files.js';
import { createBackend, type DisposableBackend } from './ide-backend.js';
import { deviceBrokerPassword } from '../../ota/server/broker/device-login.js';
import { EMBEDDED_SECRET } from './fleet/broker-settings.js';
import { useFreeBrokerPort } from './fleet/broker-test-port.js';
import { provisionConnected } from './fleet/provision-api.js';
import { FileSecretStore } from './secrets/secret-store.js';

let dir: string;
let backend: DisposableBackend;
const progress: TransferProgress[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-provision-'));
  fs.mkdirSync(path.join(dir, 'project'), { recursive: true });
  await useFreeBrokerPort(path.join(dir, 'data'));
  backend = await createBackend({ projectDir: path.join(dir, 'project'), dataDir: path.join(dir, 'data') }, (<E extends keyof MoteEvents>(
    event: E,
    payload: MoteEvents[E],
  ) => {
    if (event === 'transferProgress') progress.push(payload as TransferProgress);
  }) as never);
});

afterAll(async () => {
  await backend?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('fleetProvision on the connected simulated board', () => {
  it('writes the agent and /ota/config.json with the fleet public key, never the private key', async () => {
    await backend.upload('print("my app")\n', 'main.py');
    const r = await backend.fleetProvision({ id: 'desk-1', broker: '', tags: ['desk', 'lab'] });
    const agent = agentFiles();
    expect(r).toMatchObject({ id: 'desk-1', files: agent.size + 2, movedApp: true });
    expect(r.broker).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.stringify(r)).not.toMatch(/password/i);
    // One progress event per file, the last one naming main.py (written last so a cut leaves the old boot).
    expect(progress.map((p) => p.total)).toEqual(Array(r.files).fill(r.files));
    expect(progress.at(-1)?.label).toBe('/main.py');

    for (const [boardPath, host] of agent) expect(await backend.readBoardFile(`/${boardPath}`)).toBe(fs.readFileSync(host, 'utf8'));
    expect(await backend.readBoardFile('/app/a/main.py')).toBe('print("my app")\n');

    const cfg = JSON.parse(await backend.readBoardFile('/ota/config.json')) as Record<string, unknown>;
    const pem = fs.readFileSync(path.join(dir, 'data', 'fleet', 'keys', 'ota-ed25519.pem'), 'utf8');
    const priv = createPrivateKey(pem);
    const jwk = priv.export({ format: 'jwk' });
    // The board's own login to the embedded broker, never the IDE's.
    const brokerSecret = new FileSecretStore(path.join(dir, 'data')).get(EMBEDDED_SECRET)!;
    expect(cfg).toMatchObject({ id: 'desk-1', host: '127.0.0.1', user: 'desk-1', tags: ['desk', 'lab'], key: Buffer.from(jwk.x!, 'base64url').toString('hex') });
    expect(cfg.password).toBe(deviceBrokerPassword(brokerSecret, 'desk-1'));
    expect(cfg.password).not.toBe(brokerSecret);
    const secretHex = Buffer.from(jwk.d!, 'base64url').toString('hex');
    for (const p of [...[...agent.keys()].map((k) => `/${k}`), '/ota/config.json']) {
      const text = await backend.readBoardFile(p);
      expect(text).not.toContain('PRIVATE KEY');
      expect(text.toLowerCase()).not.toContain(secretHex);
      expect(text).not.toContain(jwk.d!);
    }
    const audit = (await backend.fleetStatus()).audit.find((a) => a.action === 'fleet.provisioned');
    expect(audit?.detail).toContain('desk-1');
    expect(audit?.detail).not.toContain(String(cfg.password));
  });

  it('uses the given broker and credentials for a board on the network', async () => {
    const r = await backend.fleetProvision({ id: 'desk-2', broker: 'mqtt://192.168.1.20:1884', user: 'dev', password: 's3cret', wifiSsid: 'home', wifiPassword: 'wpa-pass' });
    expect(r).toMatchObject({ id: 'desk-2', broker: 'mqtt://192.168.1.20:1884', movedApp: false });
    const cfg = JSON.parse(await backend.readBoardFile('/ota/config.json')) as Record<string, unknown>;
    expect(cfg).toMatchObject({ id: 'desk-2', host: '192.168.1.20', port: 1884, user: 'dev', password: 's3cret', ssid: 'home', wifi_password: 'wpa-pass' });
  });

  it('refuses an mqtts:// broker while the fleet broker settings hold no CA for the board to check it with', async () => {
    const before = await backend.readBoardFile('/ota/config.json');
    await expect(backend.fleetProvision({ id: 'desk-3', broker: 'mqtts://broker.example:8883', user: 'dev', password: 'x' })).rejects.toThrow(
      /broker\.example:8883 is a TLS broker: the board needs the CA that signed its certificate; choose the CA file in Broker… first/,
    );
    expect(await backend.readBoardFile('/ota/config.json')).toBe(before);
  });

  it('refuses bad input with a specific message, leaving the board as it was', async () => {
    const before = await backend.readBoardFile('/ota/config.json');
    const refused = (req: unknown) => validateCall('fleetProvision', [req]);
    expect(refused({ id: 'a', broker: '', extra: 1 })).toMatch(/unknown provisioning setting "extra"/);
    expect(refused({ id: '', broker: '' })).toMatch(/device id is required/);
    expect(refused({ id: 'a', broker: '', password: 'x' })).toMatch(/needs a user name/);
    expect(refused({ id: 'a', broker: '', wifiPassword: 'x' })).toMatch(/network name/);
    expect(refused({ id: 'a', broker: '', tags: ['ok', 'no space'] })).toMatch(/tag "no space"/);
    expect(refused({ id: 'a', broker: 'mqtt://h\n' })).toMatch(/broker cannot contain control characters/);
    expect(refused({ id: 'a', broker: '', wifiSsid: 'x'.repeat(33) })).toMatch(/wifiSsid must be at most 32/);
    expect(refused({ id: 'a', broker: 'mqtt://h:1883', user: 'u', password: 'p', tags: ['t'] })).toBeNull();

    await expect(backend.fleetProvision({ id: 'bad id!', broker: 'mqtt://10.0.0.2' })).rejects.toThrow(/invalid device id/);
    await expect(backend.fleetProvision({ id: 'a', broker: 'ws://10.0.0.2' })).rejects.toThrow(/the board agent connects over MQTT \(mqtt:\/\/host:port\) or MQTT over TLS \(mqtts:\/\/host:port\); ws:\/\/ is for the IDE's own connection/);
    await expect(backend.fleetProvision({ id: 'a', broker: '', user: 'u' })).rejects.toThrow(/leave user and password empty/);
    expect(await backend.readBoardFile('/ota/config.json')).toBe(before);
  });

  it('refuses the embedded broker for a real board, before touching it', async () => {
    // A stand-in for a USB board: the refusal must come before its files or the fleet service are used.
    const untouched = new Proxy({}, { get: () => { throw new Error('the board was touched'); } }) as BoardFs;
    const host = {
      board: () => ({ targetId: 'serial:/dev/ttyUSB0', fs: untouched }),
      service: () => Promise.reject(new Error('the fleet service was started')),
      transferring: () => Promise.reject(new Error('a transfer was started')),
      emit: () => undefined,
    };
    await expect(provisionConnected(host, { id: 'a', broker: '' })).rejects.toThrow(/a real board needs a broker URL it can reach/);
  });
});
