// The package browser's back end against the simulated board on a real pty
// and an index on 127.0.0.1: search marks what mote.lock has, install emits
// progress and records the lock, cancel stops an install, and the API
// contract refuses malformed specs before they reach it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { SerialLink } from '../../runtime/node/serial-link.js';
import { serveTestIndex, type TestIndex } from '../../runtime/packages/test-index-server.js';
import { serveSimOnPty, type SimPtyServer } from '../../runtime/sim/node/sim-pty.js';
import { validateCall, type MoteEvents } from '../common/api.js';
import { packagesApi, type PackagesApi } from './packages-api.js';

let root: string;
let server: SimPtyServer;
let link: SerialLink;
let index: TestIndex;
let api: PackagesApi;
const progress: MoteEvents['packageProgress'][] = [];
let changed = 0;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-pkg-api-'));
  fs.mkdirSync(path.join(root, 'project'));
  index = await serveTestIndex({
    packages: [
      { name: 'greet', version: '1.0.0', description: 'Says hello', files: { 'greet.py': "def hello():\n    return 'hi'\n" } },
      // Big enough to take several upload execs, so a cancel lands mid-way.
      { name: 'bigdata', version: '3.0', description: 'A large table', files: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`bigdata/t${i}.py`, `T = ${JSON.stringify('x'.repeat(20000 + i))}\n`])) },
    ],
  });
  server = await serveSimOnPty({ ptyPath: path.join(root, 'tty'), filesDir: path.join(root, 'board') });
  link = await SerialLink.open({ path: server.ptyPath });
  const board = { fs: new BoardFs(new BoardSession(link)) };
  api = packagesApi({
    dataDir: path.join(root, 'data'),
    project: () => ({ root: path.join(root, 'project') }),
    projectChanged: async () => void changed++,
    board: () => board,
    emit: (event, payload) => event === 'packageProgress' && progress.push(payload as MoteEvents['packageProgress']),
    index: index.url,
  });
}, 60000);

afterAll(async () => {
  await link?.close();
  await server?.close();
  await index?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

it('searches the index, installs with progress, and shows it as installed', async () => {
  expect((await api.packageSearch('hello')).map((e) => [e.name, e.installed])).toEqual([['greet', null]]);
  const installed = await api.packageInstall('greet', false);
  expect(installed).toEqual([{ name: 'greet', version: '1.0.0', direct: true, files: 1, target: '/lib' }]);
  expect(progress.some((p) => p.phase === 'upload' && p.done === p.total && p.total > 0)).toBe(true);
  expect(changed).toBe(1); // mote.lock appeared in the project
  expect((await api.packageSearch('')).find((e) => e.name === 'greet')?.installed).toBe('1.0.0');
  expect(await api.packagesInstalled()).toEqual(installed);
  expect(await api.packageRemove('greet')).toEqual([]);
}, 60000);

it('cancel stops an install between uploads, and the lock is not changed', async () => {
  const before = fs.readFileSync(path.join(root, 'project', 'mote.lock'), 'utf8');
  progress.length = 0;
  const running = api.packageInstall('bigdata', false);
  // Cancel once the first file is on its way to the board.
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => progress.some((p) => p.phase === 'upload' && p.done > 0) && (clearInterval(poll), resolve()), 5);
  });
  await api.packageCancel();
  await expect(running).rejects.toThrow(/cancelled/);
  expect(fs.readFileSync(path.join(root, 'project', 'mote.lock'), 'utf8')).toBe(before);
  // Another operation may run afterwards.
  expect(await api.packagesInstalled()).toEqual([]);
}, 60000);

it('the API contract refuses malformed specs and names', () => {
  expect(validateCall('packageInstall', ['greet', true])).toBeNull();
  expect(validateCall('packageInstall', ['github:acme/widgets@v2', false])).toBeNull();
  expect(validateCall('packageInstall', ['two words', true])).toMatch(/spaces/);
  expect(validateCall('packageInstall', ['greet'])).toMatch(/expected 2 argument/);
  expect(validateCall('packageRemove', [''])).toMatch(/1 to 512/);
  expect(validateCall('packageSearch', [42])).toMatch(/query must be a string/);
});
