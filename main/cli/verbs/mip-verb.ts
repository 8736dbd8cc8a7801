// `mote mip ...`: packages the way MicroPython's mip installs them, except
// that the host downloads (and caches) and the board only receives verified
// files over the link, so it needs no network. The project's mote.lock (in
// --project DIR, default the current folder) records what was installed.
//
//   mote mip install NAME[@VER] | github:ORG/REPO[/PATH][@REF] | URL ...   install and record
//   mote mip install                                                     everything in mote.lock
//   mote mip remove NAME                                                 its files and unneeded deps
//   mote mip list                                                        what mote.lock records
//   mote mip search [WORDS]                                              the index's packages
//
// Options: --index URL (default micropython.org/pi/v2, or the lock's), --target
// /lib, --no-mpy (.py sources instead of .mpy for the board's version),
// --project DIR, --offline (the download cache only), --cache DIR (default
// {data dir}/cache/mip), --github-base URL (where github:ORG/REPO/PATH points:
// {base}/ORG/REPO/{ref}/PATH; for mirrors and tests).

import * as path from 'node:path';
import { BoardFs } from '../../../runtime/common/board-fs.js';
import { normPath } from '../../../runtime/common/board-path.js';
import { readLock } from '../../../runtime/packages/lock-file.js';
import type { PackageProgress } from '../../../runtime/packages/package-install.js';
import { installIntoProject, installProjectLock, listIndex, removeFromProject, searchIndex, type ProjectPackagesOptions } from '../../../runtime/packages/project-packages.js';
import { parseFlags, type CliContext, type Verb } from '../cli-context.js';
import { UsageError, type CliIo } from '../cli-io.js';

const FLAGS = {
  '--index': true,
  '--target': true,
  '--no-mpy': false,
  '--project': true,
  '--github-base': true,
  '--offline': false,
  '--cache': true,
};

export const mip: Verb = {
  args: 'install [NAME[@VER]|github:ORG/REPO|URL...] [--index URL] [--target /lib] [--no-mpy] | remove NAME | list | search [WORDS]',
  summary: 'packages from the mip index (or github:/URLs), recorded in mote.lock',
  async run(ctx) {
    const [sub, ...rest] = ctx.args;
    const { flags, positional } = parseFlags(`mip ${sub ?? ''}`.trim(), rest, FLAGS);
    const str = (k: string) => {
      const v = flags.get(k);
      return typeof v === 'string' ? v : undefined;
    };
    const index = str('--index');
    if (index !== undefined && !/^https?:\/\//.test(index)) throw new UsageError(`mote mip: --index wants an http(s) URL, not ${index}`);
    const target = str('--target');
    if (target !== undefined && !target.startsWith('/')) throw new UsageError(`mote mip: --target wants a board folder such as /lib, not ${target}`);
    const abort = new AbortController();
    const o: ProjectPackagesOptions = {
      projectDir: path.resolve(str('--project') ?? '.'),
      cacheDir: path.resolve(str('--cache') ?? path.join(ctx.target.dataDir, 'cache', 'mip')),
      index,
      githubBase: str('--github-base'),
      offline: flags.has('--offline'),
      signal: abort.signal,
      onProgress: progressLine(ctx.io),
      onOffline: (url) => ctx.io.stderr.write(`mote mip: index unreachable, using the cached copy of ${url}\n`),
    };
    const off = ctx.io.onInterrupt(() => abort.abort(new Error('cancelled')));
    try {
      switch (sub) {
        case 'install':
          return await install(ctx, positional, o, { target: target === undefined ? undefined : normPath(target), mpy: !flags.has('--no-mpy') });
        case 'remove':
          if (positional.length !== 1) throw new UsageError('mote mip remove: which package? e.g. mote mip remove aioble');
          return await ctx.withBoard(async ({ session }) => {
            const r = await removeFromProject(new BoardFs(session), positional[0], o);
            clearLine(ctx.io);
            for (const p of r.deleted) ctx.io.stdout.write(`deleted ${p}\n`);
            ctx.io.stdout.write(`removed ${r.removed.join(', ')}\n`);
            return 0;
          });
        case 'list':
          return await list(ctx, o.projectDir);
        case 'search': {
          const found = searchIndex(await listIndex(o), positional.join(' '));
          for (const e of found) ctx.io.stdout.write(`${e.name.padEnd(24)} ${e.version.padEnd(10)} ${e.description}\n`);
          return 0;
        }
        default:
          throw new UsageError(`mote mip: ${sub ? `unknown command '${sub}'` : 'what to do?'}: install, remove, list or search`);
      }
    } finally {
      off();
    }
  },
};

async function install(ctx: CliContext, specs: string[], o: ProjectPackagesOptions, extra: { target?: string; mpy: boolean }): Promise<number> {
  return ctx.withBoard(async ({ session }) => {
    const board = new BoardFs(session);
    if (specs.length === 0) {
      const r = await installProjectLock(board, o);
      clearLine(ctx.io);
      for (const [name, p] of Object.entries(r.lock.packages)) ctx.io.stdout.write(`${name} ${p.version}\n`);
      ctx.io.stdout.write(`${r.written.length} files written, ${r.unchanged.length} already on the board (from mote.lock)\n`);
      return 0;
    }
    const r = await installIntoProject(board, specs, { ...o, ...extra });
    clearLine(ctx.io);
    for (const p of r.packages) ctx.io.stdout.write(`${p.name} ${p.version}${p.mpy ? ` (${p.mpy === 'py' ? '.py' : `.mpy v${p.mpy}`})` : ''}\n`);
    ctx.io.stdout.write(`${r.written.length} files written, ${r.unchanged.length} already on the board; recorded in mote.lock\n`);
    return 0;
  });
}

async function list(ctx: CliContext, projectDir: string): Promise<number> {
  const lock = await readLock(projectDir);
  if (!lock || Object.keys(lock.packages).length === 0) {
    ctx.io.stdout.write('no packages in mote.lock\n');
    return 0;
  }
  for (const [name, p] of Object.entries(lock.packages)) {
    ctx.io.stdout.write(`${name.padEnd(24)} ${p.version.padEnd(10)} ${p.direct ? '' : '(dependency) '}${p.files.length} file${p.files.length === 1 ? '' : 's'} in ${lock.target}\n`);
  }
  return 0;
}

// One rewritten line on stderr, only on a terminal (scripts get the result lines alone).
function progressLine(io: CliIo): ((p: PackageProgress) => void) | undefined {
  if ((io.stderr as { isTTY?: boolean }).isTTY !== true) return undefined;
  return (p) => {
    const what = p.phase === 'upload' ? `${Math.round((100 * p.done) / Math.max(1, p.total))}%` : `${p.done}/${p.total}`;
    io.stderr.write(`\r${p.phase} ${p.file ?? p.package ?? ''}  ${what}\x1b[K`);
  };
}

function clearLine(io: CliIo): void {
  if ((io.stderr as { isTTY?: boolean }).isTTY === true) io.stderr.write('\r\x1b[K');
}
