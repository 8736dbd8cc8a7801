// Every BoardFs command against the simulated board served on a real pty
// (socat) and opened with the real `serialport`: the bytes a USB board sees.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialLink } from '../node/serial-link.js';
import { serveSimOnPty, type SimPtyServer } from '../sim/node/sim-pty.js';
import { BoardFsError } from './board-errors.js';
import { BoardFs } from './board-fs.js';
import { BoardSession } from './board-session.js';
import type { Link } from './link.js';
import { sha256Hex } from './sha256-check.js';

let dir: string;
let server: SimPtyServer;
let link: SerialLink;
let session: BoardSession;
let bfs: BoardFs;
/** Bytes the host has sent to the board so far. */
let sent = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-boardfs-'));
  server = await serveSimOnPty({ ptyPath: path.join(dir, 'ttySIM'), filesDir: path.join(dir, 'files') });
  link = await SerialLink.open({ path: server.ptyPath });
  const counted: Link = {
    name: link.name,
    write: (d) => ((sent += d.length), link.write(d)),
    onData: (l) => link.onData(l),
    onClose: (l) => link.onClose(l),
    close: () => link.close(),
  };
  session = new BoardSession(counted);
  bfs = new BoardFs(session);
});

afterAll(async () => {
  await link?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the error's code, failing the test if the promise resolves. */
async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => expect.fail('expected a board error'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BoardFsError);
  return (e as BoardFsError).code;
}

describe('BoardFs over serial', () => {
  it('put, get, stat and ls a small file, creating parent folders', async () => {
    await bfs.put('/lib/pkg/util.py', Buffer.from('def f():\n    return 42\n'));
    expect((await bfs.get('/lib/pkg/util.py')).toString()).toBe('def f():\n    return 42\n');
    expect(await bfs.stat('/lib/pkg/util.py')).toEqual({ path: '/lib/pkg/util.py', size: 23, isDir: false });
    expect(await bfs.stat('/lib')).toEqual({ path: '/lib', size: 0, isDir: true });
    expect(await bfs.ls('/lib')).toEqual([{ path: '/lib/pkg', size: 0, isDir: true }]);
    expect(await bfs.ls('/lib', { recursive: true })).toEqual([
      { path: '/lib/pkg', size: 0, isDir: true },
      { path: '/lib/pkg/util.py', size: 23, isDir: false },
    ]);
    // ls of a file lists the file itself.
    expect(await bfs.ls('/lib/pkg/util.py')).toEqual([{ path: '/lib/pkg/util.py', size: 23, isDir: false }]);
  });

  it('uploads 200 KB of random binary, verified by SHA-256 on the board and after download', async () => {
    const data = randomBytes(200 * 1024);
    let last = { done: 0, total: 0, bytesPerSecond: 0 };
    await bfs.put('/blob.bin', data, { onProgress: (p) => (last = p) });
    expect(last.done).toBe(data.length);
    expect(last.total).toBe(data.length);
    expect(last.bytesPerSecond).toBeGreaterThan(0);
    const [entry] = (await bfs.hashTree('/')).filter((e) => e.path === '/blob.bin');
    expect(entry).toEqual({ path: '/blob.bin', size: data.length, sha256: await sha256Hex(data) });
    const back = await bfs.get('/blob.bin');
    expect(back.equals(data)).toBe(true);
    // The host copy of the simulated flash holds the same bytes.
    expect(fs.readFileSync(path.join(dir, 'files', 'blob.bin')).equals(data)).toBe(true);
  });

  it('source text travels deflated, as 8-bit or base64 literals, in far fewer bytes than the file', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `def handler_${i}(event, value=${i % 7}):\n    return value * ${i} + len(event)\n`);
    const text = Buffer.from(lines.join(''));
    for (const eightBitClean of [true, false]) {
      const before = sent;
      await new BoardFs(session, { eightBitClean }).put('/lib/gen.py', text);
      expect(sent - before).toBeLessThan(text.length / 3);
      expect((await bfs.get('/lib/gen.py')).equals(text)).toBe(true);
    }
  });

  it('overwrites an existing file and writes empty files', async () => {
    await bfs.put('/over.txt', Buffer.from('first version, longer'));
    await bfs.put('/over.txt', Buffer.from('second'));
    expect((await bfs.get('/over.txt')).toString()).toBe('second');
    await bfs.put('/empty.txt', new Uint8Array(0));
    expect((await bfs.get('/empty.txt')).length).toBe(0);
  });

  it('handles names with spaces, quotes, backslashes and non-ASCII in every command', async () => {
    const names = ["/it's 世界.py", '/a "double" quote.txt', '/back\\slash.txt', '/dir with  spaces/snake 🐍.py'];
    for (const [i, name] of names.entries()) await bfs.put(name, Buffer.from(`print(${i})\n`));
    const listed = (await bfs.ls('/', { recursive: true })).map((e) => e.path);
    for (const name of names) expect(listed).toContain(name);
    for (const [i, name] of names.entries()) {
      expect((await bfs.get(name)).toString()).toBe(`print(${i})\n`);
      expect((await bfs.stat(name)).size).toBe(`print(${i})\n`.length);
    }
    await bfs.rename("/it's 世界.py", "/it's 世界 2.py");
    expect((await bfs.get("/it's 世界 2.py")).toString()).toBe('print(0)\n');
    await bfs.mkdir("/ünï 'cödé'/sub");
    expect((await bfs.stat("/ünï 'cödé'/sub")).isDir).toBe(true);
    await bfs.rm('/dir with  spaces', { recursive: true });
    await bfs.rm("/ünï 'cödé'", { recursive: true });
    for (const name of ["/it's 世界 2.py", '/a "double" quote.txt', '/back\\slash.txt']) await bfs.rm(name);
    const after = (await bfs.ls('/')).map((e) => e.path);
    expect(after.filter((p) => /[\s'"\\]|[^\x00-\x7f]/.test(p))).toEqual([]);
  });

  it('mkdir makes parents and accepts an existing folder unless asked not to', async () => {
    await bfs.mkdir('/m/a/b');
    await bfs.mkdir('/m/a/b');
    expect((await bfs.stat('/m/a/b')).isDir).toBe(true);
    expect(await codeOf(bfs.mkdir('/m/a/b', { parents: false }))).toBe('EEXIST');
    expect(await codeOf(bfs.mkdir('/m/x/y', { parents: false }))).toBe('ENOENT');
    await bfs.put('/m/file', Buffer.from('x'));
    expect(await codeOf(bfs.mkdir('/m/file'))).toBe('EEXIST');
  });

  it('rm removes files and empty folders; a full folder needs recursive', async () => {
    await bfs.put('/r/one/two.txt', Buffer.from('2'));
    await bfs.mkdir('/r/empty');
    await bfs.rm('/r/empty');
    expect(await codeOf(bfs.rm('/r'))).toBe('ENOTEMPTY');
    await bfs.rm('/r', { recursive: true });
    expect(await codeOf(bfs.stat('/r'))).toBe('ENOENT');
  });

  it('rename moves files and names both paths when it fails', async () => {
    await bfs.put('/from.txt', Buffer.from('moved'));
    await bfs.rename('/from.txt', '/to.txt');
    expect((await bfs.get('/to.txt')).toString()).toBe('moved');
    const e = await bfs.rename('/from.txt', '/x.txt').catch((err: BoardFsError) => err);
    expect(e).toBeInstanceOf(BoardFsError);
    expect((e as BoardFsError).code).toBe('ENOENT');
    expect((e as BoardFsError).message).toContain('/from.txt -> /x.txt');
  });

  it('df reports total and free bytes', async () => {
    const { total, free } = await bfs.df();
    expect(total).toBeGreaterThan(0);
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThanOrEqual(total);
  });

  it('turns board OSErrors into errno codes with the path in the message', async () => {
    const e = await bfs.get('/missing.py').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BoardFsError);
    expect(e).toMatchObject({ code: 'ENOENT', path: '/missing.py' });
    expect((e as Error).message).toMatch(/ENOENT.*\/missing\.py/);
    expect(await codeOf(bfs.get('/lib'))).toBe('EISDIR');
    expect(await codeOf(bfs.ls('/nowhere'))).toBe('ENOENT');
    expect(await codeOf(bfs.put('/lib', Buffer.from('x')))).toBe('EISDIR');
    // The failed put onto a folder left no temporary file behind.
    expect(fs.readdirSync(path.join(dir, 'files')).filter((n) => n.endsWith('.mote-part'))).toEqual([]);
  });

  it('keeps the names the IDE back end uses: list, read, write, remove', async () => {
    await bfs.write('/compat/a.txt', Buffer.from('a'));
    expect(await bfs.list('/compat')).toEqual([{ path: '/compat/a.txt', size: 1, isDir: false }]);
    expect((await bfs.read('/compat/a.txt')).toString()).toBe('a');
    await bfs.remove('/compat');
    expect((await bfs.list('/')).some((e) => e.path.startsWith('/compat'))).toBe(false);
  });
});
