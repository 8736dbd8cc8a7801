// The user's project folder on the host. Paths from the UI are relative and
// must stay inside the folder.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { LocalFolder } from '../../../runtime/common/sync.js';
import { writeFileAtomic } from '../../../runtime/node/atomic-file.js';

const SKIP = new Set(['node_modules', '.git', '__pycache__']);
const MAX_FILES = 2000;

export class ProjectFiles {
  constructor(readonly root: string) {}

  /** Absolute path for a project-relative path; throws if it leaves the project. */
  resolve(rel: string): string {
    const abs = path.resolve(this.root, rel);
    const inside = path.relative(this.root, abs);
    if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) throw new Error(`${rel} is outside the project folder`);
    return abs;
  }

  async list(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = await fs.readdir(dir, { withFileTypes: true });
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (out.length >= MAX_FILES) return;
        if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
        const rel = prefix ? `${prefix}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(path.join(dir, e.name), rel);
        else if (e.isFile()) out.push(rel);
      }
    };
    await walk(this.root, '');
    return out;
  }

  async read(rel: string): Promise<string> {
    return fs.readFile(this.resolve(rel), 'utf8');
  }

  async readBytes(rel: string): Promise<Buffer> {
    return fs.readFile(this.resolve(rel));
  }

  /** Writes via a temporary file and rename, so a crash never leaves half a file. */
  async write(rel: string, data: string | Uint8Array): Promise<void> {
    await writeFileAtomic(this.resolve(rel), data);
  }

  /** The folder as sync reads it: what list() shows, plus .moteignore. */
  asLocalFolder(): LocalFolder {
    const abs = (rel: string) => (rel ? this.resolve(rel) : this.root);
    return {
      readdir: async (rel) =>
        (await fs.readdir(abs(rel), { withFileTypes: true }))
          .filter((e) => (e.isFile() || e.isDirectory()) && !SKIP.has(e.name) && (!e.name.startsWith('.') || e.name === '.moteignore'))
          .map((e) => ({ name: e.name, isDir: e.isDirectory() })),
      readFile: (rel) => this.readBytes(rel),
    };
  }

  /** Maps a file name in a board traceback (e.g. "lib/util.py", "/util.py") to a project file. */
  matchBoardPath(boardFile: string, files: string[]): string | null {
    const clean = boardFile.replace(/^\/+/, '');
    if (files.includes(clean)) return clean;
    const base = clean.split('/').pop() ?? clean;
    const hits = files.filter((f) => f === base || f.endsWith(`/${base}`));
    return hits.length === 1 ? hits[0] : null;
  }
}
