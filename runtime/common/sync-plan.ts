// Deciding what a folder sync changes, from hashes alone: no I/O here, so
// the rules are easy to test and a dry run is the same code as a real run.

import type { BoardFileHash } from './board-fs.js';
import { joinPath, normPath } from './board-path.js';
import type { MoteIgnore } from './moteignore.js';

export interface SyncItem {
  /** Relative to the local folder, with `/` separators. */
  path: string;
  /** Where it is (or goes) on the board. */
  remotePath: string;
  /** Local size for uploads and unchanged files; board size for deletions. */
  size: number;
  /** Uploaded as compiled .mpy (remotePath ends in .mpy; `path` is the local .py). */
  compiled?: true;
  /** Why a deletion happens when not because the file is gone locally: a stale .py would shadow the .mpy. */
  shadows?: string;
}

export interface SyncPlan {
  upload: SyncItem[];
  unchanged: SyncItem[];
  /** Board files with no local counterpart; empty unless deleteRemoved. */
  delete: SyncItem[];
}

export interface LocalFileHash {
  path: string;
  /** Size and SHA-256 of what goes to the board (the .mpy when compiled). */
  size: number;
  sha256: string;
  /** Where it goes, relative to remoteDir, when not `path`: "lib/foo.mpy" for a compiled "lib/foo.py". */
  remoteRel?: string;
}

export interface PlanOptions {
  remoteDir: string;
  deleteRemoved: boolean;
  /** Board files that match are never deleted, even when missing locally. */
  ignore: MoteIgnore;
}

export function planSync(local: LocalFileHash[], remote: BoardFileHash[], opts: PlanOptions): SyncPlan {
  const root = normPath(opts.remoteDir);
  const prefix = root === '/' ? '/' : `${root}/`;
  const onBoard = new Map<string, BoardFileHash>();
  for (const r of remote) if (r.path.startsWith(prefix)) onBoard.set(r.path.slice(prefix.length), r);

  const plan: SyncPlan = { upload: [], unchanged: [], delete: [] };
  const remoteRels = new Set(local.map((l) => l.remoteRel ?? l.path));
  for (const l of local) {
    const rel = l.remoteRel ?? l.path;
    const item: SyncItem = { path: l.path, remotePath: joinPath(root, rel), size: l.size };
    if (l.remoteRel !== undefined && l.remoteRel !== l.path) item.compiled = true;
    const r = onBoard.get(rel);
    // '-' means the board cannot hash: copy rather than guess.
    const same = r !== undefined && r.size === l.size && r.sha256 !== '-' && r.sha256 === l.sha256;
    (same ? plan.unchanged : plan.upload).push(item);
  }
  // MicroPython imports foo.py before foo.mpy: a board copy of the source
  // would shadow the compiled module, so it goes even without deleteRemoved.
  for (const l of local) {
    const r = l.remoteRel !== undefined && l.remoteRel !== l.path ? onBoard.get(l.path) : undefined;
    if (r && !remoteRels.has(l.path)) plan.delete.push({ path: l.path, remotePath: r.path, size: r.size, shadows: joinPath(root, l.remoteRel!) });
  }
  if (opts.deleteRemoved) {
    const shadowing = new Set(plan.delete.map((d) => d.path));
    for (const [rel, r] of onBoard) {
      if (!remoteRels.has(rel) && !shadowing.has(rel) && !opts.ignore.ignoresPath(rel)) plan.delete.push({ path: rel, remotePath: r.path, size: r.size });
    }
  }
  for (const list of Object.values(plan) as SyncItem[][]) list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return plan;
}
