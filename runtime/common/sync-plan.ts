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
}

export interface SyncPlan {
  upload: SyncItem[];
  unchanged: SyncItem[];
  /** Board files with no local counterpart; empty unless deleteRemoved. */
  delete: SyncItem[];
}

export interface LocalFileHash {
  path: string;
  size: number;
  sha256: string;
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
  for (const l of local) {
    const item = { path: l.path, remotePath: joinPath(root, l.path), size: l.size };
    const r = onBoard.get(l.path);
    // '-' means the board cannot hash: copy rather than guess.
    const same = r !== undefined && r.size === l.size && r.sha256 !== '-' && r.sha256 === l.sha256;
    (same ? plan.unchanged : plan.upload).push(item);
  }
  if (opts.deleteRemoved) {
    const localPaths = new Set(local.map((l) => l.path));
    for (const [rel, r] of onBoard) {
      if (!localPaths.has(rel) && !opts.ignore.ignoresPath(rel)) plan.delete.push({ path: rel, remotePath: r.path, size: r.size });
    }
  }
  for (const list of Object.values(plan) as SyncItem[][]) list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return plan;
}
