import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-file.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-atomic-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const variants = [
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', async (...a: Parameters<typeof writeFileAtomicSync>) => writeFileAtomicSync(...a)],
] as const;

describe.each(variants)('%s', (_name, write) => {
  it('replaces the content of an existing file', async () => {
    const f = path.join(dir, 'a.json');
    fs.writeFileSync(f, 'old content that is longer than the new');
    await write(f, 'new');
    expect(fs.readFileSync(f, 'utf8')).toBe('new');
    await write(f, new Uint8Array([1, 2, 3]));
    expect([...fs.readFileSync(f)]).toEqual([1, 2, 3]);
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('creates the parent folders', async () => {
    const f = path.join(dir, 'x', 'y', 'z.txt');
    await write(f, 'deep');
    expect(fs.readFileSync(f, 'utf8')).toBe('deep');
  });

  it.skipIf(process.platform === 'win32')('gives the file the mode asked for, whatever the umask', async () => {
    const f = path.join(dir, 'secret.json');
    fs.writeFileSync(f, 'was world-readable', { mode: 0o644 });
    fs.chmodSync(f, 0o644);
    await write(f, 's3cret', { mode: 0o600 });
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    const old = process.umask(0o077);
    try {
      await write(f, 'wide', { mode: 0o644 });
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(f).mode & 0o777).toBe(0o644);
  });

  it('on failure leaves no temp file and reports the original error', async () => {
    const f = path.join(dir, 'taken');
    fs.mkdirSync(f);
    fs.writeFileSync(path.join(f, 'inside'), 'x');
    let caught: unknown;
    try {
      await write(f, 'data');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    // rename() onto a non-empty folder: EISDIR on Linux, ENOTEMPTY/EEXIST/EPERM elsewhere.
    expect((caught as NodeJS.ErrnoException).syscall).toBe('rename');
    expect(fs.readdirSync(dir)).toEqual(['taken']);
    expect(fs.readdirSync(f)).toEqual(['inside']);
  });
});

describe('writeFileAtomic, concurrently', () => {
  it('lets every write of one file finish, leaving one content whole and no temp files', async () => {
    const f = path.join(dir, 'shared.txt');
    const contents = Array.from({ length: 20 }, (_, i) => String(i).repeat(10_000 + i));
    await expect(Promise.all(contents.map((c) => writeFileAtomic(f, c)))).resolves.toHaveLength(contents.length);
    expect(contents).toContain(fs.readFileSync(f, 'utf8'));
    expect(fs.readdirSync(dir)).toEqual(['shared.txt']);
  });
});
