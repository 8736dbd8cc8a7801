// mote.lock: what the project has installed on its board, so the same set
// can be put on another board in one step (`mote mip install` with no name).
//
// JSON, written with sorted package names so diffs stay small:
// {
//   "lockfileVersion": 1,
//   "index": "https://micropython.org/pi/v2",   the index the packages came from
//   "target": "/lib",                            the board folder they are in
//   "packages": {
//     "aioble": {
//       "version": "0.4.1",
//       "source": "aioble@0.4.1",                what to resolve to get it again
//       "mpy": "6",                              .mpy major the files are for, "py", or null (URL package)
//       "direct": true,                          asked for by the user (false: only a dependency)
//       "deps": ["..."],
//       "files": [{ "path": "aioble/core.mpy", "sha256": "<64 hex>", "url": "https://…" }]
//     }
//   }
// }
// The full SHA-256 of every file pins its content: a reinstall downloads
// (or takes from the cache) exactly these bytes or refuses.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../node/atomic-file.js';

export const LOCK_FILE_NAME = 'mote.lock';

export interface LockedFile {
  path: string;
  sha256: string;
  url: string;
}

export interface LockedPackage {
  version: string;
  source: string;
  mpy: string | null;
  direct: boolean;
  deps: string[];
  files: LockedFile[];
}

export interface LockFile {
  lockfileVersion: 1;
  index: string;
  target: string;
  packages: Record<string, LockedPackage>;
}

export class LockFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockFileError';
  }
}

export function emptyLock(index: string, target: string): LockFile {
  return { lockfileVersion: 1, index, target, packages: {} };
}

/** The project's lock, or null when it has none. A malformed one is an error, never silently replaced. */
export async function readLock(projectDir: string): Promise<LockFile | null> {
  const file = path.join(projectDir, LOCK_FILE_NAME);
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (text === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new LockFileError(`${file} is not valid JSON (${(e as Error).message}); fix or delete it`);
  }
  return validateLock(v, file);
}

export async function writeLock(projectDir: string, lock: LockFile): Promise<void> {
  const sorted: LockFile = { ...lock, packages: Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a < b ? -1 : 1))) };
  await writeFileAtomic(path.join(projectDir, LOCK_FILE_NAME), JSON.stringify(sorted, null, 2) + '\n');
}

export function validateLock(v: unknown, where: string): LockFile {
  const bad = (why: string) => new LockFileError(`${where}: ${why}`);
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(v)) throw bad('not a JSON object');
  if (v.lockfileVersion !== 1) throw bad(`lockfileVersion ${JSON.stringify(v.lockfileVersion)} is not one this Mote reads (1)`);
  if (typeof v.index !== 'string' || typeof v.target !== 'string' || !v.target.startsWith('/')) throw bad('"index" and "target" (an absolute board path) are needed');
  if (!isObj(v.packages)) throw bad('"packages" is not an object');
  for (const [name, p] of Object.entries(v.packages)) {
    if (!isObj(p)) throw bad(`package ${name} is not an object`);
    if (typeof p.version !== 'string' || typeof p.source !== 'string' || typeof p.direct !== 'boolean') throw bad(`package ${name} lacks version, source or direct`);
    if (!(p.mpy === null || typeof p.mpy === 'string')) throw bad(`package ${name} has a bad "mpy"`);
    if (!Array.isArray(p.deps) || !p.deps.every((d) => typeof d === 'string')) throw bad(`package ${name} has a bad "deps"`);
    if (!Array.isArray(p.files)) throw bad(`package ${name} has no "files" list`);
    for (const f of p.files as unknown[]) {
      if (!isObj(f) || typeof f.path !== 'string' || typeof f.url !== 'string' || typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) {
        throw bad(`package ${name} has a file entry without path, url and a 64-hex sha256`);
      }
      if (f.path.startsWith('/') || f.path.split('/').some((s) => s === '..' || s === '')) throw bad(`package ${name} lists "${f.path}", not a plain relative path`);
    }
  }
  return v as unknown as LockFile;
}
