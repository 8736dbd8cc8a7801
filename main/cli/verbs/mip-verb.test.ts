// `mote --port P mip ...` in-process through main(), against the simulated
// board on a real pty and an index served on 127.0.0.1 (no internet).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveSimOnPty, type SimPtyServer } from '../../../runtime/sim/node/sim-pty.js';
import { serveTestIndex, type TestIndex } from '../../../runtime/packages/test-index-server.js';
import { main } from '../mote.js';
import { capture } from '../test-cli-io.js';

let root: string;
let boards: SimPtyServer[] = [];
let index: TestIndex;

async function mote(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  // mip commands get the test's project folder and local index.
  const own = args.includes('mip') ? ['--project', path.join(root, 'project'), '--index', index.url] : [];
  const code = await main(['--data-dir', path.join(root, 'data'), ...args, ...own], c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-mip-cli-'));
  fs.mkdirSync(path.join(root, 'project'));
  index = await serveTestIndex({
    packages: [
      { name: 'greet', version: '1.0.0', description: 'Says hello', files: { 'greet.py': "from colors import RED\ndef hello():\n    return 'hi ' + RED\n" }, deps: [['colors', '0.2']] },
      { name: 'colors', version: '0.2', description: 'Colour names', files: { 'colors.py': "RED = 'red'\n" } },
    ],
  });
  for (const n of ['a', 'b']) {
    fs.mkdirSync(path.join(root, n));
    boards.push(await serveSimOnPty({ ptyPath: path.join(root, `tty${n}`), filesDir: path.join(root, n) }));
  }
}, 60000);

afterAll(async () => {
  for (const b of boards) await b.close();
  boards = [];
  await index?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

it('installs by name, lists, reinstalls from mote.lock on a second board, removes', async () => {
  const [a, b] = boards;
  const inst = await mote('--port', a.ptyPath, 'mip', 'install', 'greet', '--no-mpy');
  expect(inst.err).toBe('');
  expect(inst.out).toBe('colors 0.2 (.py)\ngreet 1.0.0 (.py)\n2 files written, 0 already on the board; recorded in mote.lock\n');
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'project', 'mote.lock'), 'utf8')) as { packages: Record<string, unknown> };
  expect(Object.keys(lock.packages)).toEqual(['colors', 'greet']);

  expect((await mote('mip', 'list')).out).toMatch(/^colors\s+0\.2\s+\(dependency\) 1 file in \/lib\ngreet\s+1\.0\.0\s+1 file in \/lib\n$/);

  const again = await mote('--port', b.ptyPath, 'mip', 'install');
  expect(again.out).toContain('2 files written, 0 already on the board (from mote.lock)');
  const run = await mote('--port', b.ptyPath, 'exec', 'import greet; print(greet.hello())');
  expect(run.out.trim()).toBe('hi red');

  const rm = await mote('--port', b.ptyPath, 'mip', 'remove', 'greet');
  expect(rm.out).toContain('removed greet, colors');
  expect((await mote('--port', b.ptyPath, 'ls', ':lib')).out).not.toMatch(/greet\.py|colors\.py/);
  expect((await mote('mip', 'list')).out).toBe('no packages in mote.lock\n');
}, 90000);

it('search lists the index; bad input is a usage error', async () => {
  expect((await mote('mip', 'search', 'colour')).out).toMatch(/^colors\s+0\.2\s+Colour names\n$/);
  const bad = await mote('mip', 'install', 'no/such name');
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/is not a package name/);
  expect((await mote('mip', 'frobnicate')).err).toMatch(/unknown command 'frobnicate'/);
});
