// The simulated board's flash. The interpreter works on Emscripten's MEMFS;
// every change is written through to a host folder at once, so files survive
// soft resets, hard resets (worker terminated mid-program) and app restarts.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The subset of Emscripten's FS object we use. */
export interface EmFS {
  mkdir(p: string, mode?: number): unknown;
  rmdir(p: string): unknown;
  unlink(p: string): unknown;
  rename(a: string, b: string): unknown;
  close(stream: { path?: string; flags: number }): unknown;
  writeFile(p: string, data: Uint8Array | string): unknown;
  readFile(p: string): Uint8Array;
  readdir(p: string): string[];
  stat(p: string): { mode: number };
  isDir(mode: number): boolean;
  cwd(): string;
  [k: string]: unknown;
}

/** Emscripten's own folders, which a board's filesystem does not have. */
export const SYSTEM_DIRS = ['dev', 'proc', 'tmp', 'home'];
/** Where the simulator's own Python modules live (the board's frozen modules), hidden from the user's files. */
export const PRIVATE_DIR = '/.mote';
const O_ACCMODE = 3;

export class BoardFiles {
  constructor(
    private readonly FS: EmFS,
    private readonly hostDir: string,
  ) {}

  /** Copies the host folder into MEMFS. */
  load(): void {
    fs.mkdirSync(this.hostDir, { recursive: true });
    const walk = (hostPath: string, boardPath: string): void => {
      for (const ent of fs.readdirSync(hostPath, { withFileTypes: true })) {
        const h = path.join(hostPath, ent.name);
        const b = boardPath === '/' ? `/${ent.name}` : `${boardPath}/${ent.name}`;
        if (boardPath === '/' && (SYSTEM_DIRS.includes(ent.name) || `/${ent.name}` === PRIVATE_DIR)) continue;
        if (ent.isDirectory()) {
          this.FS.mkdir(b);
          walk(h, b);
        } else if (ent.isFile()) {
          this.FS.writeFile(b, fs.readFileSync(h));
        }
      }
    };
    walk(this.hostDir, '/');
  }

  /** Wraps MEMFS operations so each change also happens in the host folder. */
  installWriteThrough(): void {
    const FS = this.FS;
    const wrap = <A extends unknown[]>(name: string, after: (...a: A) => void) => {
      const orig = FS[name] as (...a: A) => unknown;
      FS[name] = (...a: A) => {
        const r = orig.apply(FS, a);
        try {
          after(...a);
        } catch {
          // The host copy is best effort; the board keeps working from MEMFS.
        }
        return r;
      };
    };
    wrap('close', (stream: { path?: string; flags: number }) => {
      if ((stream.flags & O_ACCMODE) === 0 || !stream.path) return;
      const host = this.toHost(stream.path);
      if (host) fs.writeFileSync(host, this.FS.readFile(this.normalize(stream.path)));
    });
    wrap('unlink', (p: string) => {
      const host = this.toHost(p);
      if (host) fs.rmSync(host, { force: true });
    });
    wrap('mkdir', (p: string) => {
      const host = this.toHost(p);
      if (host) fs.mkdirSync(host, { recursive: true });
    });
    wrap('rmdir', (p: string) => {
      const host = this.toHost(p);
      if (host) fs.rmSync(host, { recursive: true, force: true });
    });
    wrap('rename', (a: string, b: string) => {
      const ha = this.toHost(a);
      const hb = this.toHost(b);
      if (ha && hb) fs.renameSync(ha, hb);
    });
  }

  private normalize(p: string): string {
    const abs = p.startsWith('/') ? p : `${this.FS.cwd()}/${p}`;
    return path.posix.normalize(abs);
  }

  /** Host path for a board path, or null for Emscripten's and our private folders. */
  private toHost(p: string): string | null {
    const n = this.normalize(p);
    const top = n.split('/')[1] ?? '';
    if (!top || SYSTEM_DIRS.includes(top) || `/${top}` === PRIVATE_DIR) return null;
    const host = path.join(this.hostDir, ...n.split('/').filter(Boolean));
    return host.startsWith(this.hostDir) ? host : null;
  }
}
