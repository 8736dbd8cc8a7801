// Installing onto a board: the host resolves and downloads (verified against
// the index's hashes, through the cache), then writes each file into the
// target folder with BoardFs.put, the same atomic, SHA-256-verified upload
// every other transfer uses, so the board itself needs no network. Files the
// board already has with the same SHA-256 are skipped (one hashing exec).

import { BoardFs } from '../common/board-fs.js';
import { BoardFsError } from '../common/board-errors.js';
import { joinPath, normPath, parentDirs } from '../common/board-path.js';
import { mpyMajor } from '../common/mpy-compile.js';
import { indexBase, type UrlOptions } from './index-urls.js';
import { emptyLock, type LockedPackage, type LockFile } from './lock-file.js';
import type { PackageFetcher } from './package-fetch.js';
import { resolvePackages, type ResolvedPackage } from './package-resolve.js';
import { parsePackageSpec, specName } from './package-spec.js';

export interface PackageProgress {
  phase: 'resolve' | 'download' | 'upload' | 'remove';
  /** The package being worked on, when there is one. */
  package: string | null;
  /** The board or index path being worked on. */
  file: string | null;
  /** download/remove: files; upload: bytes. */
  done: number;
  total: number;
}

export interface InstallOptions extends UrlOptions {
  fetcher: PackageFetcher;
  /** Board folder for the packages (default "/lib", where MicroPython looks). */
  target?: string;
  /** Install compiled .mpy files for the board's .mpy version when it reports one (default true), else .py. */
  mpy?: boolean;
  onProgress?: (p: PackageProgress) => void;
  signal?: AbortSignal;
}

export interface InstallResult {
  packages: ResolvedPackage[];
  /** Board paths written, and those already there with the same content. */
  written: string[];
  unchanged: string[];
  /** The lock updated with what was installed. */
  lock: LockFile;
}

interface FileJob {
  pkg: string;
  boardPath: string;
  data: Buffer;
  sha256: string;
}

/** Installs `specs` (names, name@version, github:/URLs) and their dependencies; updates `lock` (or a new one). */
export async function installPackages(board: BoardFs, specs: string[], lock: LockFile | null, o: InstallOptions): Promise<InstallResult> {
  const target = normPath(o.target ?? lock?.target ?? '/lib');
  const useMpy = o.mpy ?? true;
  o.onProgress?.({ phase: 'resolve', package: null, file: null, done: 0, total: specs.length });
  const mpy = useMpy ? await boardMpyMajor(board) : null;
  const packages = await resolvePackages(specs, o.fetcher, { ...o, mpy });
  o.signal?.throwIfAborted();

  const jobs: FileJob[] = [];
  const locked = new Map<string, LockedPackage>();
  const total = packages.reduce((n, p) => n + p.files.length, 0);
  for (const p of packages) {
    const files = [];
    for (const f of p.files) {
      o.onProgress?.({ phase: 'download', package: p.name, file: f.path, done: jobs.length, total });
      const got = await o.fetcher.file(f.url, f.hash, `${p.name}: ${f.path}`);
      jobs.push({ pkg: p.name, boardPath: joinPath(target, f.path), data: got.data, sha256: got.sha256 });
      files.push({ path: f.path, sha256: got.sha256, url: f.url });
    }
    locked.set(p.name, { version: p.version, source: p.source, mpy: p.mpy, direct: false, deps: p.deps, files });
  }
  o.onProgress?.({ phase: 'download', package: null, file: null, done: jobs.length, total });

  const { written, unchanged } = await uploadJobs(board, target, jobs, o);

  const next: LockFile = lock ? { ...lock, packages: { ...lock.packages } } : emptyLock(indexBase(o), target);
  const asked = new Set(specs.map((s) => specName(parsePackageSpec(s))));
  for (const [name, entry] of locked) {
    // A package stays "direct" once the user asked for it, even when reinstalled as someone's dependency.
    next.packages[name] = { ...entry, direct: asked.has(name) || (next.packages[name]?.direct ?? false) };
  }
  return { packages, written, unchanged, lock: next };
}

/** Puts every package of `lock` on the board, byte for byte as locked (each file's full SHA-256 is checked). */
export async function installFromLock(board: BoardFs, lock: LockFile, o: Omit<InstallOptions, 'mpy' | 'target'>): Promise<Omit<InstallResult, 'packages' | 'lock'>> {
  const target = normPath(lock.target);
  const entries = Object.entries(lock.packages);
  // Locked .mpy files only load on a board with the same .mpy version: refuse before writing anything.
  const compiled = entries.filter(([, p]) => p.mpy !== null && p.mpy !== 'py');
  if (compiled.length) {
    const m = await boardMpyMajor(board);
    const major = m === null ? null : String(m);
    const wrong = compiled.filter(([, p]) => p.mpy !== major).map(([n, p]) => `${n} (.mpy v${p.mpy})`);
    if (wrong.length) {
      throw new Error(`mote.lock has ${wrong.join(', ')}, but this board ${major === null ? 'does not report a .mpy version' : `loads .mpy v${major}`}; install those packages again by name for this board, or as .py sources`);
    }
  }
  const total = entries.reduce((n, [, p]) => n + p.files.length, 0);
  const jobs: FileJob[] = [];
  for (const [name, p] of entries) {
    for (const f of p.files) {
      o.onProgress?.({ phase: 'download', package: name, file: f.path, done: jobs.length, total });
      const got = await o.fetcher.file(f.url, f.sha256, `${name}: ${f.path}`);
      jobs.push({ pkg: name, boardPath: joinPath(target, f.path), data: got.data, sha256: got.sha256 });
    }
  }
  return uploadJobs(board, target, jobs, o);
}

/** The .mpy major version the board loads, or null when it reports none. */
async function boardMpyMajor(board: BoardFs): Promise<number | null> {
  const mpy = (await board.capabilities()).mpy;
  return mpy === null || mpy < 0 ? null : mpyMajor(mpy);
}

async function uploadJobs(board: BoardFs, target: string, jobs: FileJob[], o: Pick<InstallOptions, 'onProgress' | 'signal'>): Promise<{ written: string[]; unchanged: string[] }> {
  const onBoard = new Map((await board.hashTree(target)).map((h) => [h.path, h.sha256]));
  const todo = jobs.filter((j) => onBoard.get(j.boardPath) !== j.sha256);
  const unchanged = jobs.filter((j) => !todo.includes(j)).map((j) => j.boardPath);
  const total = todo.reduce((n, j) => n + j.data.length, 0);
  let done = 0;
  for (const j of todo) {
    o.signal?.throwIfAborted();
    await board.put(j.boardPath, j.data, {
      signal: o.signal,
      onProgress: (p) => o.onProgress?.({ phase: 'upload', package: j.pkg, file: j.boardPath, done: done + p.done, total }),
    });
    done += j.data.length;
  }
  o.onProgress?.({ phase: 'upload', package: null, file: null, done, total });
  return { written: todo.map((j) => j.boardPath), unchanged };
}

export interface RemoveResult {
  /** Packages taken off the lock: the one named, and dependencies nothing else needs any more. */
  removed: string[];
  deleted: string[];
  lock: LockFile;
}

/** Removes a package's files from the board (and now-unneeded dependencies), keeping files another package also lists. */
export async function removePackage(board: BoardFs, name: string, lock: LockFile, o: Pick<InstallOptions, 'onProgress' | 'signal'> = {}): Promise<RemoveResult> {
  if (!lock.packages[name]) {
    const known = Object.keys(lock.packages);
    throw new Error(`${name} is not in mote.lock${known.length ? ` (installed: ${known.join(', ')})` : ' (no packages installed)'}`);
  }
  const packages = { ...lock.packages };
  const removed = [name];
  delete packages[name];
  // Dependencies only installed for what was removed go too.
  for (let changed = true; changed; ) {
    changed = false;
    const needed = new Set(Object.values(packages).flatMap((p) => p.deps));
    for (const [n, p] of Object.entries(packages)) {
      if (!p.direct && !needed.has(n)) {
        removed.push(n);
        delete packages[n];
        changed = true;
      }
    }
  }
  const kept = new Set(Object.values(packages).flatMap((p) => p.files.map((f) => f.path)));
  const paths = removed.flatMap((n) => lock.packages[n].files.map((f) => f.path)).filter((p) => !kept.has(p));
  const deleted: string[] = [];
  for (const rel of paths) {
    o.signal?.throwIfAborted();
    const p = joinPath(lock.target, rel);
    o.onProgress?.({ phase: 'remove', package: name, file: p, done: deleted.length, total: paths.length });
    try {
      await board.rm(p);
      deleted.push(p);
    } catch (e) {
      // Already gone from the board (deleted by hand): the lock still drops it.
      if (!(e instanceof BoardFsError && e.code === 'ENOENT')) throw e;
    }
  }
  // Package folders left empty go too (deepest first); a folder still holding anything is kept.
  const target = normPath(lock.target);
  const dirs = [...new Set(deleted.flatMap((p) => parentDirs(p)).filter((d) => d.startsWith(`${target}/`)))].sort((x, y) => y.length - x.length);
  for (const d of dirs) {
    try {
      if ((await board.ls(d)).every((e) => e.path === d)) await board.rm(d);
    } catch (e) {
      if (!(e instanceof BoardFsError)) throw e;
    }
  }
  o.onProgress?.({ phase: 'remove', package: name, file: null, done: deleted.length, total: paths.length });
  return { removed, deleted, lock: { ...lock, packages } };
}
