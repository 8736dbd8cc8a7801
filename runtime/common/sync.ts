// Folder sync: make the board's copy of a project match the host's, moving
// only files whose SHA-256 differs. The board hashes all its files in one
// exec; the host hashes its own; planSync decides; BoardFs.put moves files
// (atomic and verified). The host folder is reached through LocalFolder, so
// this module stays free of node:fs (see STYLE.md: common/ is pure).

import { BoardFs } from './board-fs.js';
import type { BoardSession } from './board-session.js';
import { MoteIgnore } from './moteignore.js';
import { mpyCrossV6, mpyIncompatibility, mpyTargetFor, type MpyCompiler } from './mpy-compile.js';
import { sha256Hex } from './sha256-check.js';
import { planSync, type LocalFileHash, type SyncPlan } from './sync-plan.js';

export type { SyncItem, SyncPlan } from './sync-plan.js';

export interface LocalEntry {
  name: string;
  isDir: boolean;
}

/** Read access to the host folder being synced; paths are relative, `/`-separated, '' is the root. */
export interface LocalFolder {
  readdir(rel: string): Promise<LocalEntry[]>;
  readFile(rel: string): Promise<Uint8Array>;
}

export interface SyncProgress {
  /** The file being uploaded (relative path). */
  file: string;
  /** Bytes of all uploads done so far, and their total. */
  done: number;
  total: number;
  bytesPerSecond: number;
}

export interface SyncOptions {
  remoteDir?: string;
  /** Delete board files that no longer exist locally (off by default). */
  deleteRemoved?: boolean;
  /** Work out the plan and change nothing. */
  dryRun?: boolean;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
  /**
   * Upload `foo.py` compiled, as `foo.mpy` (never main.py or boot.py, which
   * the firmware runs as source). `true` uses mpy-cross v6 (wasm). Refused
   * with an Error when the board's sys.implementation._mpy says it cannot
   * load what the compiler writes. A board copy of a compiled module's .py
   * is deleted, since MicroPython would import it instead of the .mpy.
   */
  compileMpy?: boolean | MpyCompiler;
}

/** Syncs `local` to `remoteDir` on the board; resolves with what was (or, in a dry run, would be) done. */
export async function syncFolder(board: BoardSession | BoardFs, local: LocalFolder, opts: SyncOptions = {}): Promise<SyncPlan> {
  const fs = board instanceof BoardFs ? board : new BoardFs(board);
  const remoteDir = opts.remoteDir ?? '/';
  const rootEntries = await local.readdir('');
  const ignoreText = rootEntries.some((e) => e.name === '.moteignore' && !e.isDir)
    ? Buffer.from(await local.readFile('.moteignore')).toString('utf8')
    : '';
  const ignore = MoteIgnore.parse(ignoreText);

  let compiler: MpyCompiler | null = null;
  if (opts.compileMpy) {
    compiler = opts.compileMpy === true ? mpyCrossV6() : opts.compileMpy;
    const why = mpyIncompatibility((await fs.capabilities()).mpy, compiler);
    if (why) throw new Error(`cannot sync as .mpy: ${why}; sync without compiling instead`);
  }
  const compiled = new Map<string, Uint8Array>();
  const localFiles = await hashLocal(local, ignore, rootEntries, compiler, compiled);
  opts.signal?.throwIfAborted();
  const remote = await fs.hashTree(remoteDir);
  const plan = planSync(localFiles, remote, { remoteDir, deleteRemoved: opts.deleteRemoved ?? false, ignore });
  if (opts.dryRun) return plan;

  const total = plan.upload.reduce((n, u) => n + u.size, 0);
  const t0 = performance.now();
  let done = 0;
  for (const item of plan.upload) {
    opts.signal?.throwIfAborted();
    const data = compiled.get(item.path) ?? (await local.readFile(item.path));
    await fs.put(item.remotePath, data, {
      signal: opts.signal,
      onProgress: (p) =>
        opts.onProgress?.({
          file: item.path,
          done: done + p.done,
          total,
          bytesPerSecond: (done + p.done) / Math.max(1e-3, (performance.now() - t0) / 1000),
        }),
    });
    done += data.length;
  }
  for (const item of plan.delete) {
    opts.signal?.throwIfAborted();
    await fs.rm(item.remotePath);
  }
  return plan;
}

// Walks the folder, skipping ignored folders without entering them.
// Compiled modules are hashed as .mpy (deterministic for the same source),
// and their bytes kept in `compiled` for the upload.
async function hashLocal(
  local: LocalFolder,
  ignore: MoteIgnore,
  rootEntries: LocalEntry[],
  compiler: MpyCompiler | null,
  compiled: Map<string, Uint8Array>,
): Promise<LocalFileHash[]> {
  const out: LocalFileHash[] = [];
  const walk = async (dir: string, entries: LocalEntry[]): Promise<void> => {
    for (const e of entries) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (ignore.ignores(rel, e.isDir)) continue;
      if (e.isDir) await walk(rel, await local.readdir(rel));
      else {
        const data = await local.readFile(rel);
        const target = compiler ? mpyTargetFor(rel) : null;
        if (compiler && target) {
          const mpy = await compiler.compile(rel, Buffer.from(data).toString('utf8'));
          compiled.set(rel, mpy);
          out.push({ path: rel, size: mpy.length, sha256: await sha256Hex(mpy), remoteRel: target });
        } else out.push({ path: rel, size: data.length, sha256: await sha256Hex(data) });
      }
    }
  };
  await walk('', rootEntries);
  return out;
}
