// The package operations as the CLI and the IDE use them: on a project
// folder (its mote.lock) and a board, with the host cache. One place, so
// both front doors behave the same.

import type { BoardFs } from '../common/board-fs.js';
import { DEFAULT_INDEX, indexListUrl, type UrlOptions } from './index-urls.js';
import { emptyLock, readLock, writeLock, type LockFile } from './lock-file.js';
import { PackageCache } from './package-cache.js';
import { PackageFetcher } from './package-fetch.js';
import { installFromLock, installPackages, removePackage, type InstallResult, type PackageProgress, type RemoveResult } from './package-install.js';

export interface ProjectPackagesOptions extends UrlOptions {
  projectDir: string;
  /** The host download cache folder. */
  cacheDir: string;
  /** Only the cache, no network. */
  offline?: boolean;
  onProgress?: (p: PackageProgress) => void;
  /** Told when JSON came from the cache because the index could not be reached. */
  onOffline?: (url: string, why: string) => void;
  signal?: AbortSignal;
}

type FetchOptions = Pick<ProjectPackagesOptions, 'cacheDir' | 'offline' | 'signal' | 'onOffline'>;

function fetcherFor(o: FetchOptions): PackageFetcher {
  return new PackageFetcher({ cache: new PackageCache(o.cacheDir), offline: o.offline, signal: o.signal, onOffline: o.onOffline });
}

/** The index to use: the one asked for, else the lock's, else micropython.org's. */
function indexOf(o: Pick<UrlOptions, 'index'>, lock: LockFile | null): string {
  return o.index ?? lock?.index ?? DEFAULT_INDEX;
}

/** Installs packages by name or URL onto the board and records them in the project's mote.lock. */
export async function installIntoProject(
  board: BoardFs,
  specs: string[],
  o: ProjectPackagesOptions & { target?: string; mpy?: boolean },
): Promise<InstallResult> {
  const lock = await readLock(o.projectDir);
  const index = indexOf(o, lock);
  // Locked files keep their own URLs, so the lock's index is only the default for the next install.
  if (lock && o.target !== undefined && o.target !== lock.target && Object.keys(lock.packages).length) {
    throw new Error(`this project's packages are in ${lock.target} on the board (mote.lock); install to one folder, or remove them first`);
  }
  const base = lock ? { ...lock, index, target: o.target ?? lock.target } : null;
  const r = await installPackages(board, specs, base, { ...o, index, fetcher: fetcherFor(o) });
  await writeLock(o.projectDir, r.lock);
  return r;
}

/** Puts everything in the project's mote.lock on the board (one step for a second board). */
export async function installProjectLock(board: BoardFs, o: ProjectPackagesOptions): Promise<{ lock: LockFile; written: string[]; unchanged: string[] }> {
  const lock = await readLock(o.projectDir);
  if (!lock || Object.keys(lock.packages).length === 0) throw new Error(`no packages to install: ${o.projectDir} has no mote.lock, or it lists none (install one by name first)`);
  const r = await installFromLock(board, lock, { ...o, fetcher: fetcherFor(o) });
  return { lock, ...r };
}

export async function removeFromProject(board: BoardFs, name: string, o: ProjectPackagesOptions): Promise<RemoveResult> {
  const lock = await readLock(o.projectDir);
  if (!lock) throw new Error(`${name} is not installed: ${o.projectDir} has no mote.lock`);
  const r = await removePackage(board, name, lock, o);
  await writeLock(o.projectDir, r.lock);
  return r;
}

export interface IndexEntry {
  name: string;
  version: string;
  description: string;
}

/** The index's package list (index.json), for search; from the cache when offline. The project's lock names its index. */
export async function listIndex(o: FetchOptions & UrlOptions & { projectDir?: string }): Promise<IndexEntry[]> {
  const lock = o.projectDir ? await readLock(o.projectDir).catch(() => null) : null;
  const v = await fetcherFor(o).json(indexListUrl({ index: indexOf(o, lock) }));
  const list = typeof v === 'object' && v !== null && Array.isArray((v as { packages?: unknown }).packages) ? (v as { packages: unknown[] }).packages : null;
  if (!list) throw new Error('the index list (index.json) has no "packages" list');
  const out: IndexEntry[] = [];
  for (const p of list) {
    if (typeof p !== 'object' || p === null) continue;
    const e = p as Record<string, unknown>;
    if (typeof e.name !== 'string') continue;
    out.push({ name: e.name, version: typeof e.version === 'string' ? e.version : '', description: typeof e.description === 'string' ? e.description : '' });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Case-insensitive match on name or description; every word must appear. */
export function searchIndex(entries: IndexEntry[], query: string): IndexEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((e) => words.every((w) => e.name.toLowerCase().includes(w) || e.description.toLowerCase().includes(w)));
}
