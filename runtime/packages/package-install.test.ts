// mip-style installs onto the simulated board over a real pty, from an
// index served on 127.0.0.1 in the real layout (no internet): a package with
// a dependency, compiled .mpy for the board's version or .py; a tampered file
// refused; the lock reproducing the install on a fresh board from the cache
// alone; github: and package.json URLs; remove.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardFs } from '../common/board-fs.js';
import { BoardSession } from '../common/board-session.js';
import { mpyCrossV6 } from '../common/mpy-compile.js';
import { SerialLink } from '../node/serial-link.js';
import { serveSimOnPty, type SimPtyServer } from '../sim/node/sim-pty.js';
import { readLock, writeLock } from './lock-file.js';
import { PackageCache } from './package-cache.js';
import { HashMismatchError, PackageFetcher } from './package-fetch.js';
import { installFromLock, installPackages, removePackage, type PackageProgress } from './package-install.js';
import { serveTestIndex, shortHashOf, type TestIndex } from './test-index-server.js';

const GREET = "from colors import RED\n\ndef hello(n):\n    return 'hello ' + n + ' in ' + RED\n";
const COLORS = "RED = 'red'\n";
const WIDGET = "import colors\n\ndef size():\n    return 'widget ' + colors.RED\n";
const GOOD_BROKEN = "X = 1\n";

interface Board {
  server: SimPtyServer;
  link: SerialLink;
  session: BoardSession;
  fs: BoardFs;
}

let dir: string;
let index: TestIndex;
let board: Board;
const boards: Board[] = [];

async function openBoard(name: string): Promise<Board> {
  const server = await serveSimOnPty({ ptyPath: path.join(dir, `tty-${name}`), filesDir: path.join(dir, `files-${name}`) });
  const link = await SerialLink.open({ path: server.ptyPath });
  const session = new BoardSession(link);
  const b = { server, link, session, fs: new BoardFs(session) };
  boards.push(b);
  return b;
}

async function runOn(b: Board, src: string): Promise<string> {
  const r = await b.session.run(src);
  expect(r.stderr.toString()).toBe('');
  return r.stdout.toString().trim();
}

const fetcher = (o: { offline?: boolean; cacheDir?: string } = {}) =>
  new PackageFetcher({ cache: new PackageCache(o.cacheDir ?? path.join(dir, 'cache')), offline: o.offline });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-mip-'));
  index = await serveTestIndex({
    compiler: mpyCrossV6(),
    packages: [
      { name: 'greet', version: '1.0.0', description: 'Says hello', files: { 'greet/__init__.py': GREET }, deps: [['colors', '0.2']] },
      { name: 'colors', version: '0.2', description: 'Colour names', files: { 'colors.py': COLORS } },
      { name: 'broken', version: '1.0', description: 'Its file was altered after indexing', files: { 'broken.py': GOOD_BROKEN } },
    ],
    tamper: { [shortHashOf(GOOD_BROKEN)]: 'import os\nos.remove("/main.py")\n' },
    extra: {
      // raw.githubusercontent.com stand-in: {org}/{repo}/{ref}/{path}
      '/gh/acme/widgets/HEAD/package.json': JSON.stringify({ urls: [['widget.py', 'github:acme/widgets/widget.py']], deps: [['colors', '0.2']], version: '0.3' }),
      '/gh/acme/widgets/HEAD/widget.py': WIDGET,
      '/web/tools/package.json': JSON.stringify({ urls: [['tools/helper.py', 'helper.py']], version: '2.1' }),
      '/web/tools/helper.py': "def twice(x):\n    return 2 * x\n",
    },
  });
  board = await openBoard('a');
}, 60000);

afterAll(async () => {
  for (const b of boards) {
    await b.link.close().catch(() => undefined);
    await b.server.close();
  }
  await index?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('mip install from a local index', () => {
  it('installs a package and its dependency as .mpy for the board, and a program imports it', async () => {
    const progress: PackageProgress[] = [];
    const r = await installPackages(board.fs, ['greet'], null, { index: index.url, fetcher: fetcher(), onProgress: (p) => progress.push(p) });
    const mpy = String(mpyCrossV6().version);
    expect(r.packages.map((p) => [p.name, p.version, p.mpy])).toEqual([
      ['colors', '0.2', mpy],
      ['greet', '1.0.0', mpy],
    ]);
    expect(index.requests).toContain(`/package/${mpy}/greet/latest.json`);
    expect(index.requests).toContain(`/package/${mpy}/colors/0.2.json`);
    expect(r.written.sort()).toEqual(['/lib/colors.mpy', '/lib/greet/__init__.mpy']);
    expect(await runOn(board, "import greet\nprint(greet.hello('mote'))\n")).toBe('hello mote in red');
    expect(r.lock.packages.greet.direct).toBe(true);
    expect(r.lock.packages.colors.direct).toBe(false);
    const last = progress.filter((p) => p.phase === 'upload').pop()!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBeGreaterThan(0);
    await writeLock(dir, r.lock);
  }, 60000);

  it('installs .py sources with mpy off, and skips files the board already has', async () => {
    const r = await installPackages(board.fs, ['colors@0.2'], null, { index: index.url, fetcher: fetcher(), mpy: false });
    expect(r.packages[0].mpy).toBe('py');
    expect(r.written).toEqual(['/lib/colors.py']);
    const again = await installPackages(board.fs, ['colors@0.2'], null, { index: index.url, fetcher: fetcher(), mpy: false });
    expect(again.written).toEqual([]);
    expect(again.unchanged).toEqual(['/lib/colors.py']);
    await board.fs.rm('/lib/colors.py');
  }, 60000);

  it('refuses a file whose SHA-256 does not match the index, writing nothing', async () => {
    const err = await installPackages(board.fs, ['broken'], null, { index: index.url, fetcher: fetcher(), mpy: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HashMismatchError);
    expect((err as Error).message).toMatch(new RegExp(`lists SHA-256 ${shortHashOf(GOOD_BROKEN)}.*refusing to install`));
    expect((await board.fs.ls('/lib')).map((e) => e.path)).not.toContain('/lib/broken.py');
  }, 60000);

  it('an unknown package is a clear 404', async () => {
    await expect(installPackages(board.fs, ['nosuch'], null, { index: index.url, fetcher: fetcher() })).rejects.toThrow(/not found: .*\/package\/\w+\/nosuch\/latest\.json/);
  });

  it('reproduces the lock on a fresh board from the download cache, offline', async () => {
    const lock = await readLock(dir);
    expect(lock).not.toBeNull();
    const fresh = await openBoard('b');
    const before = index.requests.length;
    const r = await installFromLock(fresh.fs, lock!, { fetcher: fetcher({ offline: true }) });
    expect(r.written.sort()).toEqual(['/lib/colors.mpy', '/lib/greet/__init__.mpy']);
    expect(index.requests.length).toBe(before);
    expect(await runOn(fresh, "import greet\nprint(greet.hello('again'))\n")).toBe('hello again in red');
    // Same bytes as the first board, file by file.
    const hashes = async (b: Board) => (await b.fs.hashTree('/lib')).map((h) => [h.path, h.sha256]);
    expect(await hashes(fresh)).toEqual(await hashes(board));
  }, 60000);

  it('refuses to put locked .mpy files on a board that loads another .mpy version', async () => {
    const lock = (await readLock(dir))!;
    const other = { ...lock, packages: { ...lock.packages, greet: { ...lock.packages.greet, mpy: '5' } } };
    await expect(installFromLock(board.fs, other, { fetcher: fetcher({ offline: true }) })).rejects.toThrow(
      new RegExp(`mote.lock has greet \\(.mpy v5\\), but this board loads .mpy v${mpyCrossV6().version}`),
    );
  }, 30000);

  it('offline with an empty cache says what is missing', async () => {
    const lock = (await readLock(dir))!;
    await expect(installFromLock(board.fs, lock, { fetcher: fetcher({ offline: true, cacheDir: path.join(dir, 'empty-cache') }) })).rejects.toThrow(/offline, and greet: greet\/__init__\.mpy .* not in the download cache|offline, and colors: colors\.mpy .* not in the download cache/);
  });

  it('resolves github: through the configured base, with an index dependency', async () => {
    const r = await installPackages(board.fs, ['github:acme/widgets'], null, { index: index.url, githubBase: `${index.origin}/gh`, fetcher: fetcher() });
    expect(index.requests).toContain('/gh/acme/widgets/HEAD/package.json');
    expect(r.packages.map((p) => p.name)).toEqual(['colors', 'github:acme/widgets']);
    expect(await runOn(board, 'import widget\nprint(widget.size())\n')).toBe('widget red');
  }, 60000);

  it('installs from a package.json URL with a relative file URL', async () => {
    const r = await installPackages(board.fs, [`${index.origin}/web/tools/package.json`], null, { index: index.url, fetcher: fetcher() });
    expect(r.packages[0].version).toBe('2.1');
    expect(await runOn(board, 'from tools.helper import twice\nprint(twice(21))\n')).toBe('42');
  }, 60000);

  it('remove deletes the package and its now-unneeded dependency, and updates the lock', async () => {
    const lock = (await readLock(dir))!;
    const r = await removePackage(board.fs, 'greet', lock);
    expect(r.removed).toEqual(['greet', 'colors']);
    expect(r.deleted.sort()).toEqual(['/lib/colors.mpy', '/lib/greet/__init__.mpy']);
    expect(r.lock.packages).toEqual({});
    const left = (await board.fs.ls('/lib', { recursive: true })).map((e) => e.path);
    expect(left).not.toContain('/lib/greet/__init__.mpy');
    expect(left).not.toContain('/lib/greet');
    expect(left).toContain('/lib/widget.py');
    await expect(removePackage(board.fs, 'greet', r.lock)).rejects.toThrow(/greet is not in mote\.lock/);
  }, 60000);
});
