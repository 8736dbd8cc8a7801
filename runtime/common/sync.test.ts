// Folder sync against the simulated board on a real pty: only changed files
// travel, .moteignore is honoured, dry runs change nothing.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialLink } from '../node/serial-link.js';
import { serveSimOnPty, type SimPtyServer } from '../sim/node/sim-pty.js';
import { BoardFs } from './board-fs.js';
import { BoardSession } from './board-session.js';
import type { Link } from './link.js';
import { syncFolder, type SyncProgress } from './sync.js';
import { hostFolder } from '../node/host-folder.js';

/** Counts the bytes the host sends, to prove what travelled. */
function countingLink(inner: Link): Link & { sent: number } {
  const l = {
    sent: 0,
    name: inner.name,
    write: (d: Uint8Array) => ((l.sent += d.length), inner.write(d)),
    onData: (f: (d: Uint8Array) => void) => inner.onData(f),
    onClose: (f: (e: Error | null) => void) => inner.onClose(f),
    close: () => inner.close(),
  };
  return l;
}

let dir: string;
let project: string;
let server: SimPtyServer;
let link: Link & { sent: number };
let session: BoardSession;
let bfs: BoardFs;

const write = (rel: string, data: Uint8Array | string) => {
  fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
  fs.writeFileSync(path.join(project, rel), data);
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-sync-'));
  project = path.join(dir, 'project');
  server = await serveSimOnPty({ ptyPath: path.join(dir, 'ttySIM'), filesDir: path.join(dir, 'files') });
  link = countingLink(await SerialLink.open({ path: server.ptyPath }));
  session = new BoardSession(link);
  bfs = new BoardFs(session);
  // 20 files of random (incompressible) bytes, some in folders, plus
  // things .moteignore keeps off the board.
  for (let i = 0; i < 20; i++) write(i < 8 ? `lib/mod${i}.py` : `file ${i}.bin`, randomBytes(3000));
  write('.moteignore', '# not for the board\n*.log\nbuild/\n/secrets.py\n');
  write('debug.log', 'log');
  write('build/out.bin', 'x');
  write('secrets.py', 'KEY = 1');
  write('lib/__pycache__/mod0.cpython-311.pyc', 'x');
  write('.git/HEAD', 'ref: refs/heads/main');
});

afterAll(async () => {
  await link?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('syncFolder over serial', () => {
  it('uploads every file the first time, and nothing that .moteignore or the defaults exclude', async () => {
    const plan = await syncFolder(session, hostFolder(project), { remoteDir: '/app' });
    expect(plan.upload).toHaveLength(20);
    expect(plan.unchanged).toEqual([]);
    const onBoard = (await bfs.ls('/app', { recursive: true })).filter((e) => !e.isDir).map((e) => e.path);
    expect(onBoard).toHaveLength(20);
    expect(onBoard).toContain('/app/file 19.bin');
    expect(onBoard).toContain('/app/lib/mod0.py');
  });

  it('with 3 of 20 files changed, only those 3 travel', async () => {
    for (const rel of ['lib/mod3.py', 'file 10.bin', 'file 15.bin']) write(rel, randomBytes(3000));
    const files: string[] = [];
    const before = link.sent;
    const plan = await syncFolder(session, hostFolder(project), {
      remoteDir: '/app',
      onProgress: (p: SyncProgress) => files.includes(p.file) || files.push(p.file),
    });
    const sent = link.sent - before;
    expect(plan.upload.map((u) => u.path)).toEqual(['file 10.bin', 'file 15.bin', 'lib/mod3.py']);
    expect(plan.upload.map((u) => u.remotePath)).toEqual(['/app/file 10.bin', '/app/file 15.bin', '/app/lib/mod3.py']);
    expect(plan.unchanged).toHaveLength(17);
    expect(files.sort()).toEqual(['file 10.bin', 'file 15.bin', 'lib/mod3.py']);
    // 3 files x 3000 random (incompressible) bytes cannot travel in fewer than
    // 9000 bytes; the other 17 would add at least 51000 more.
    expect(sent).toBeGreaterThan(9000);
    expect(sent).toBeLessThan(9000 + 9000);
    for (const rel of ['lib/mod3.py', 'file 10.bin', 'file 15.bin'])
      expect((await bfs.get(`/app/${rel}`)).equals(fs.readFileSync(path.join(project, rel)))).toBe(true);
  });

  it('a dry run lists the change and changes nothing', async () => {
    write('lib/mod5.py', 'print("changed")\n');
    const hashes = await bfs.hashTree('/app');
    const plan = await syncFolder(session, hostFolder(project), { remoteDir: '/app', dryRun: true });
    expect(plan.upload.map((u) => u.path)).toEqual(['lib/mod5.py']);
    expect(plan.upload[0].size).toBe(17);
    expect(await bfs.hashTree('/app')).toEqual(hashes);
  });

  it('deletes board files removed locally only when asked, and never ignored ones', async () => {
    await bfs.put('/app/secrets.py', Buffer.from('KEY = 2'));
    fs.rmSync(path.join(project, 'file 19.bin'));
    const keep = await syncFolder(session, hostFolder(project), { remoteDir: '/app' });
    expect(keep.delete).toEqual([]);
    expect((await bfs.stat('/app/file 19.bin')).size).toBe(3000);

    const plan = await syncFolder(session, hostFolder(project), { remoteDir: '/app', deleteRemoved: true });
    expect(plan.delete).toEqual([{ path: 'file 19.bin', remotePath: '/app/file 19.bin', size: 3000 }]);
    const onBoard = (await bfs.ls('/app')).map((e) => e.path);
    expect(onBoard).not.toContain('/app/file 19.bin');
    expect(onBoard).toContain('/app/secrets.py');
  });

  it('syncs to the board root with awkward names', async () => {
    const small = path.join(dir, 'small');
    fs.mkdirSync(path.join(small, 'sub dir'), { recursive: true });
    fs.writeFileSync(path.join(small, "it's 世界.py"), 'print("hi")\n');
    fs.writeFileSync(path.join(small, 'sub dir', 'a "b".py'), 'x = 1\n');
    const first = await syncFolder(session, hostFolder(small));
    expect(first.upload.map((u) => u.remotePath)).toEqual(["/it's 世界.py", '/sub dir/a "b".py']);
    const second = await syncFolder(session, hostFolder(small));
    expect(second.upload).toEqual([]);
    expect(second.unchanged).toHaveLength(2);
  });
});
