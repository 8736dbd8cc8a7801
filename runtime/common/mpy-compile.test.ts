// .mpy compilation with mpy-cross v6 (wasm), and sync with compileMpy against
// the simulated board (MicroPython 1.27, _mpy 774 = v6.3, arch none) on a pty.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialLink } from '../node/serial-link.js';
import { serveSimOnPty, type SimPtyServer } from '../sim/node/sim-pty.js';
import { BoardFs } from './board-fs.js';
import { BoardSession } from './board-session.js';
import { MpyCompileError, mpyCrossV6, mpyIncompatibility, mpyTargetFor } from './mpy-compile.js';
import { syncFolder } from './sync.js';
import { hostFolder } from '../node/host-folder.js';

const compiler = mpyCrossV6();

describe('mpy-cross v6', () => {
  it('compiles a module to a v6 bytecode .mpy, and reports syntax errors', async () => {
    const handlers = () => process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;
    const before = handlers();
    const mpy = await compiler.compile('lib/calc.py', 'def add(a, b):\n    return a + b\n');
    // 'M', version 6, flags 0 (arch none, sub-version 0), 31-bit small ints.
    expect([...mpy.subarray(0, 4)]).toEqual([0x4d, 6, 0, 31]);
    // Deterministic, so sync can tell unchanged modules by hash.
    expect(Buffer.from(await compiler.compile('lib/calc.py', 'def add(a, b):\n    return a + b\n')).equals(Buffer.from(mpy))).toBe(true);
    const err = await compiler.compile('bad.py', 'def f(:\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MpyCompileError);
    expect((err as Error).message).toMatch(/bad\.py: could not compile to \.mpy: SyntaxError/);
    // The Emscripten glue's process-wide handlers are not left behind.
    expect(handlers()).toBe(before);
  });

  it('knows which boards load its output and which files stay source', () => {
    expect(mpyIncompatibility(774, compiler)).toBeNull(); // v6.3, arch none (the simulator)
    expect(mpyIncompatibility(6 | (2 << 8) | (5 << 10), compiler)).toBeNull(); // v6.2 armv7m: bytecode is fine
    expect(mpyIncompatibility(5, compiler)).toMatch(/version 5/);
    expect(mpyIncompatibility(null, compiler)).toMatch(/does not report/);
    expect(mpyTargetFor('lib/calc.py')).toBe('lib/calc.mpy');
    expect(mpyTargetFor('main.py')).toBeNull();
    expect(mpyTargetFor('lib/boot.py')).toBeNull();
    expect(mpyTargetFor('data.txt')).toBeNull();
  });
});

describe('syncFolder with compileMpy on the simulated board', () => {
  let dir: string;
  let project: string;
  let server: SimPtyServer;
  let link: SerialLink;
  let session: BoardSession;
  let bfs: BoardFs;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-mpy-'));
    project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'calc.py'), 'def add(a, b):\n    return a + b\n\nNAME = "compiled"\n');
    fs.writeFileSync(path.join(project, 'main.py'), 'import calc\n');
    server = await serveSimOnPty({ ptyPath: path.join(dir, 'ttySIM'), filesDir: path.join(dir, 'files') });
    link = await SerialLink.open({ path: server.ptyPath });
    session = new BoardSession(link);
    bfs = new BoardFs(session);
  });

  afterAll(async () => {
    await link?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads calc.mpy instead of calc.py (main.py stays source), and the board imports it', async () => {
    expect((await bfs.capabilities()).mpy).toBe(774);
    // A stale source copy on the board would be imported before the .mpy.
    await bfs.put('/calc.py', Buffer.from('def add(a, b):\n    return "stale source"\n'));
    const dry = await syncFolder(bfs, hostFolder(project), { compileMpy: true, dryRun: true });
    expect(dry.upload.map((u) => [u.path, u.remotePath, u.compiled ?? false])).toEqual([
      ['calc.py', '/calc.mpy', true],
      ['main.py', '/main.py', false],
    ]);
    expect(dry.delete).toEqual([{ path: 'calc.py', remotePath: '/calc.py', size: 41, shadows: '/calc.mpy' }]);

    const plan = await syncFolder(bfs, hostFolder(project), { compileMpy: true });
    expect(plan.upload.map((u) => u.remotePath)).toEqual(['/calc.mpy', '/main.py']);
    const files = (await bfs.ls('/')).filter((e) => !e.isDir).map((e) => e.path);
    expect(files).toEqual(expect.arrayContaining(['/calc.mpy', '/main.py']));
    expect(files).not.toContain('/calc.py');
    const mpy = await bfs.get('/calc.mpy');
    expect([...mpy.subarray(0, 2)]).toEqual([0x4d, 6]);
    expect((await bfs.get('/main.py')).toString()).toBe('import calc\n');

    const out = await session.exclusive((r) =>
      r.execChecked("import sys\nsys.modules.pop('calc', None)\nimport calc\nprint(calc.add(2, 3), calc.NAME)"),
    );
    expect(out.toString().trim()).toBe('5 compiled');

    // Unchanged source: the same .mpy, nothing travels.
    const again = await syncFolder(bfs, hostFolder(project), { compileMpy: true });
    expect(again.upload).toEqual([]);
    expect(again.unchanged.map((u) => u.remotePath)).toEqual(['/calc.mpy', '/main.py']);
  });

  it('refuses a board whose .mpy version the compiler does not write', async () => {
    const old = { version: 5, compile: compiler.compile };
    await expect(syncFolder(bfs, hostFolder(project), { compileMpy: old })).rejects.toThrow(/board loads \.mpy version 6, the compiler writes version 5/);
  });
});
