// Whole-file writes that a crash never leaves half done: the data goes to a
// temporary file beside the target and a rename puts it in place, which on one
// file system replaces the target in a single step. A reader sees the old file
// or the new one, never a torn mix.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the file (e.g. 0o600 for a secret), set before it takes the target's name. */
  mode?: number;
}

let written = 0;

// Beside the target, so the rename never crosses file systems. Process id and
// a counter keep concurrent writers (other processes, other calls in this one)
// off each other's temp file; the random part keeps a stale temp file that a
// killed process with a reused pid left behind from blocking the exclusive
// create. The leading dot keeps it out of folder listings that skip dot files.
function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++written}.${randomBytes(3).toString('hex')}.tmp`);
}

// 'wx': the temp file is always a new one, so `mode` applies from its creation
// and the file is never readable by others, not even for a moment; the chmod
// then restores bits that the umask stripped.
function createFlags(opts: AtomicWriteOptions): fs.WriteFileOptions {
  return opts.mode === undefined ? { flag: 'wx' } : { flag: 'wx', mode: opts.mode };
}

/** Replaces `file` with `data` in one step, creating its folder if needed. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempName(file);
  try {
    await fsp.writeFile(tmp, data, createFlags(opts));
    if (opts.mode !== undefined) await fsp.chmod(tmp, opts.mode);
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** writeFileAtomic for callers that must finish before returning (e.g. while the app is closing). */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tempName(file);
  try {
    fs.writeFileSync(tmp, data, createFlags(opts));
    if (opts.mode !== undefined) fs.chmodSync(tmp, opts.mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The write's own error is the one worth reporting.
    }
    throw e;
  }
}
