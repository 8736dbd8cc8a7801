// The package browser's back end: search the mip index, install and remove
// packages on the current board, with the project's mote.lock as the record
// of what is installed (runtime/packages does the work, as for the CLI).
//
// The index is micropython.org's unless MOTE_MIP_INDEX names another (a
// mirror, or a local test index); MOTE_MIP_GITHUB_BASE likewise rewrites
// github: URLs. Downloads are cached under {dataDir}/cache/mip.

import * as path from 'node:path';
import type { BoardFs } from '../../runtime/common/board-fs.js';
import { readLock, type LockFile } from '../../runtime/packages/lock-file.js';
import { installIntoProject, installProjectLock, listIndex, removeFromProject, searchIndex, type ProjectPackagesOptions } from '../../runtime/packages/project-packages.js';
import type { EventSink, InstalledPackageInfo, MoteBackend } from '../common/api.js';

export type PackagesApi = Pick<MoteBackend, 'packageSearch' | 'packagesInstalled' | 'packageInstall' | 'packageInstallLock' | 'packageRemove' | 'packageCancel'>;

export interface PackagesHost {
  dataDir: string;
  project(): { root: string };
  /** The project's file list changed (mote.lock created). */
  projectChanged(): Promise<void>;
  board(): { fs: BoardFs };
  emit: EventSink;
  /** Index and github: base (default: MOTE_MIP_INDEX / MOTE_MIP_GITHUB_BASE, else the public ones). */
  index?: string;
  githubBase?: string;
}

/** Index results shown at most (the full index has a few hundred packages). */
const MAX_RESULTS = 200;

export function packagesApi(h: PackagesHost): PackagesApi {
  let running: AbortController | null = null;
  const options = (signal?: AbortSignal): ProjectPackagesOptions => ({
    projectDir: h.project().root,
    cacheDir: path.join(h.dataDir, 'cache', 'mip'),
    index: h.index ?? (process.env.MOTE_MIP_INDEX || undefined),
    githubBase: h.githubBase ?? (process.env.MOTE_MIP_GITHUB_BASE || undefined),
    signal,
    onProgress: (p) => h.emit('packageProgress', p),
  });
  const installed = async (): Promise<InstalledPackageInfo[]> => infoOf(await readLock(h.project().root));

  // One package operation at a time: two would interleave files and lock writes.
  async function exclusive(fn: (o: ProjectPackagesOptions) => Promise<unknown>): Promise<InstalledPackageInfo[]> {
    if (running) throw new Error('a package operation is already running; wait for it or cancel it');
    const ac = new AbortController();
    running = ac;
    const hadLock = (await readLock(h.project().root).catch(() => null)) !== null;
    try {
      await fn(options(ac.signal));
    } finally {
      running = null;
    }
    if (!hadLock) await h.projectChanged();
    return installed();
  }

  return {
    async packageSearch(query) {
      const [entries, lock] = await Promise.all([listIndex(options()), readLock(h.project().root).catch(() => null)]);
      return searchIndex(entries, query)
        .slice(0, MAX_RESULTS)
        .map((e) => ({ ...e, installed: lock?.packages[e.name]?.version ?? null }));
    },
    packagesInstalled: installed,
    packageInstall: (spec, mpy) => exclusive((o) => installIntoProject(h.board().fs, [spec], { ...o, mpy })),
    packageInstallLock: () => exclusive((o) => installProjectLock(h.board().fs, o)),
    packageRemove: (name) => exclusive((o) => removeFromProject(h.board().fs, name, o)),
    async packageCancel() {
      running?.abort(new Error('cancelled'));
    },
  };
}

function infoOf(lock: LockFile | null): InstalledPackageInfo[] {
  if (!lock) return [];
  return Object.entries(lock.packages).map(([name, p]) => ({ name, version: p.version, direct: p.direct, files: p.files.length, target: lock.target }));
}
