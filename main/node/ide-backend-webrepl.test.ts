// The back end on a board over WebREPL: the simulated board's WebREPL server
// stands in for a Wi-Fi board. Connecting (with the password saved in a 0600
// secrets file, not in settings), running, uploading, and reconnecting after
// a soft reset ends the session, with the status showing it.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardStatus, MoteEvents } from '../common/api.js';
import { waitFor, type Subscribe } from '../../ota/testing/wait-for.js';
import { serveSimWebRepl, type SimWebRepl } from '../../runtime/sim/node/webrepl-server/serve-sim.js';
import { createBackend, type DisposableBackend } from './ide-backend.js';

let dir: string;
let sim: SimWebRepl;
let backend: DisposableBackend;
let terminal = '';
const statuses: BoardStatus[] = [];

// Conditions read only what the back end's events record (see beforeAll),
// so each is re-checked as an event arrives instead of on a timer.
const eventListeners = new Set<() => void>();
const onEvent: Subscribe = (cb) => (eventListeners.add(cb), () => eventListeners.delete(cb));
const until = (what: string, cond: () => boolean, timeoutMs = 15000) => waitFor(what, cond, [onEvent], timeoutMs);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-backend-webrepl-'));
  fs.mkdirSync(path.join(dir, 'project'));
  sim = await serveSimWebRepl({ filesDir: path.join(dir, 'wifi-board'), password: 'wifi123', port: 0 });
  backend = await createBackend({ projectDir: path.join(dir, 'project'), dataDir: path.join(dir, 'data') }, (<E extends keyof MoteEvents>(
    event: E,
    payload: MoteEvents[E],
  ) => {
    if (event === 'terminalData') terminal += Buffer.from(payload as Uint8Array).toString('utf8');
    if (event === 'boardStatus') statuses.push(payload as BoardStatus);
    for (const cb of eventListeners) cb();
  }) as never);
}, 30000);

afterAll(async () => {
  await backend?.dispose();
  await sim?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the back end over WebREPL', () => {
  it('refuses a wrong password and stays on the simulator', async () => {
    await expect(backend.connectWebRepl(sim.url, 'nope1', false)).rejects.toThrow(/refused the password/);
    expect((await backend.getBoardStatus()).connection).toBe('Simulator');
  });

  it('connects, saves the connection with its password only in the 0600 secrets file, and runs a program', async () => {
    const status = await backend.connectWebRepl(`127.0.0.1:${sim.port}`, 'wifi123', true);
    expect(status).toMatchObject({ connection: sim.url, state: 'ready' });
    expect(status.boardName).toMatch(/Simulated/);
    const targets = await backend.listTargets();
    expect(targets.find((t) => t.kind === 'webrepl')).toMatchObject({ id: `webrepl:${sim.url}` });
    const secrets = path.join(dir, 'data', 'secrets.json');
    expect(fs.statSync(secrets).mode & 0o777).toBe(0o600);
    // Nowhere else under the data folder.
    const others = fs.readdirSync(path.join(dir, 'data'), { recursive: true }).map(String).filter((f) => f !== 'secrets.json');
    for (const f of others) {
      const p = path.join(dir, 'data', f);
      if (fs.statSync(p).isFile()) expect(fs.readFileSync(p, 'utf8')).not.toContain('wifi123');
    }
    const r = await backend.run("print('over wifi', 6 * 7)\n", 'main.py');
    expect(r.ok).toBe(true);
    await until('the output', () => terminal.includes('over wifi 42'));
  });

  it('uploads a project file and lists it', async () => {
    const data = randomBytes(40000);
    fs.writeFileSync(path.join(dir, 'project', 'blob.bin'), data);
    await backend.uploadProjectFile('blob.bin', '/blob.bin');
    expect(fs.readFileSync(path.join(dir, 'wifi-board', 'blob.bin')).equals(data)).toBe(true);
    expect((await backend.listBoardFiles()).map((f) => f.path)).toContain('/blob.bin');
  });

  it('a soft reset ends the session; it reconnects by itself and the status shows it', async () => {
    const from = statuses.length;
    await backend.softReset();
    await until('reconnecting', () => statuses.slice(from).some((s) => s.state === 'reconnecting'));
    await until('ready again', () => statuses.length > from && statuses[statuses.length - 1].state === 'ready');
    const r = await backend.run("print('still here')\n", 'main.py');
    expect(r.ok).toBe(true);
    await until('the output', () => terminal.includes('still here'));
  });

  it('a saved connection is reopened from the list with its stored password', async () => {
    await backend.connectTarget('sim');
    const status = await backend.connectTarget(`webrepl:${sim.url}`);
    expect(status.connection).toBe(sim.url);
  });

  it('stops looking at once for a board that comes back with another password, and says why', async () => {
    const from = statuses.length;
    const port = sim.port;
    await sim.close();
    sim = await serveSimWebRepl({ filesDir: path.join(dir, 'wifi-board'), password: 'changed9', port });
    // Well inside the 20 s the back end would keep trying a board that is merely away.
    await until('disconnected', () => statuses.slice(from).some((s) => s.state === 'disconnected'), 10000);
    expect(terminal).toMatch(/\[the board did not come back: [^\]]*refused the password/);
  });
});
