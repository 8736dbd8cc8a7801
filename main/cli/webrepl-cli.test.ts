// `mote --webrepl URL` and `mote sim --webrepl`, run in-process through main()
// against the simulated board's WebREPL server on a loopback port.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSimWebRepl, type SimWebRepl } from '../../runtime/sim/node/webrepl-server/serve-sim.js';
import { drainSpares } from '../../runtime/sim/node/worker-pool.js';
import { WebReplLink } from '../../runtime/node/webrepl-link.js';
import type { CliIo } from './cli-io.js';
import { main } from './mote.js';
import { PASSWORD_ENV } from './webrepl-password.js';

let root: string;
let sim: SimWebRepl;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-cli-webrepl-'));
  sim = await serveSimWebRepl({ filesDir: path.join(root, 'board'), password: 'hunter22', port: 0 });
});

afterAll(async () => {
  await sim?.close();
  await drainSpares();
  fs.rmSync(root, { recursive: true, force: true });
});

function io(): { io: CliIo; out: () => string; err: () => string; interrupt: () => void; onOut: (f: () => void) => void } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const handlers = new Set<() => void>();
  const watchers = new Set<() => void>();
  return {
    io: {
      stdout: { write: (d) => (out.push(Buffer.from(d)), watchers.forEach((w) => w())) },
      stderr: { write: (d) => err.push(Buffer.from(d)) },
      stdin: new PassThrough(),
      onInterrupt: (h) => (handlers.add(h), () => handlers.delete(h)),
    },
    out: () => Buffer.concat(out).toString(),
    err: () => Buffer.concat(err).toString(),
    interrupt: () => handlers.forEach((h) => h()),
    onOut: (f) => watchers.add(f),
  };
}

async function mote(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = process.env[PASSWORD_ENV];
  if (PASSWORD_ENV in env) process.env[PASSWORD_ENV] = env[PASSWORD_ENV];
  else delete process.env[PASSWORD_ENV];
  try {
    const c = io();
    const code = await main(['--webrepl', sim.url, ...args], c.io);
    return { code, stdout: c.out(), stderr: c.err() };
  } finally {
    if (saved === undefined) delete process.env[PASSWORD_ENV];
    else process.env[PASSWORD_ENV] = saved;
  }
}

describe('mote --webrepl', () => {
  it('runs exec and eval with the password from --password or the environment', async () => {
    expect(await mote(['--password', 'hunter22', 'exec', "print('over the air')"])).toEqual({ code: 0, stdout: 'over the air\n', stderr: '' });
    expect(await mote(['eval', '2**10'], { [PASSWORD_ENV]: 'hunter22' })).toEqual({ code: 0, stdout: '1024\n', stderr: '' });
  });

  it('asks for a password it does not have, and never prints one', async () => {
    const none = await mote(['exec', 'print(1)']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/password is needed.*MOTE_WEBREPL_PASSWORD/);
    const wrong = await mote(['--password', 'guess123', 'exec', 'print(1)']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^mote: WebREPL: .*refused the password/);
    expect(wrong.stderr).not.toContain('guess123');
  });

  it('copies, lists, syncs and soft-resets like over USB', async () => {
    const env = { [PASSWORD_ENV]: 'hunter22' };
    const local = path.join(root, 'blob.bin');
    const data = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 7) & 0xff));
    fs.writeFileSync(local, data);
    expect((await mote(['cp', local, ':lib/'], env)).code).toBe(0);
    expect((await mote(['ls', ':lib'], env)).stdout).toBe(`${String(70000).padStart(10)} blob.bin\n`);
    const back = path.join(root, 'back.bin');
    expect((await mote(['cp', ':lib/blob.bin', back], env)).code).toBe(0);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(fs.readFileSync(back))).toBe(sha(data));

    const project = path.join(root, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'main.py'), 'print(1)\n');
    const first = await mote(['sync', project], env);
    expect(first.code).toBe(0);
    const again = await mote(['sync', project, '--dry-run'], env);
    expect(again.stdout).toMatch(/unchanged|0 to upload|nothing/i);

    expect((await mote(['soft-reset'], env)).code).toBe(0);
    // The reset ended the session; the board serves again once it has booted.
    if (sim.board.state !== 'ready') await new Promise<void>((r) => sim.board.onState((s) => s === 'ready' && r()));
  });

  it('a 64-byte board path is refused with the reason', async () => {
    const local = path.join(root, 'x.txt');
    fs.writeFileSync(local, 'x');
    const r = await mote(['cp', local, `:${'d'.repeat(64)}`], { [PASSWORD_ENV]: 'hunter22' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/65 bytes long.*at most 63/);
  });
});

describe('mote sim --webrepl', () => {
  it('serves the simulated board until Ctrl-C; a client logs in with the given password', async () => {
    const c = io();
    const ready = new Promise<void>((r) => c.onOut(() => c.out().includes('\n') && r()));
    const done = main(['--data-dir', path.join(root, 'simdata'), 'sim', '--webrepl', '--password', 'swordfish', '--listen', '0'], c.io);
    await ready;
    const url = c.out().trim();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
    expect(c.err()).not.toContain('swordfish');
    const link = await WebReplLink.open({ url, password: 'swordfish' });
    await link.close();
    c.interrupt();
    expect(await done).toBe(0);
  });
});
