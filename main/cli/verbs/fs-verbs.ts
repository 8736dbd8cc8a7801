// Files on the board, mpremote style: a leading ':' marks a board path.
// Output is plain text one item per line, for scripts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { BoardFsError } from '../../../runtime/common/board-errors.js';
import { BoardFs } from '../../../runtime/common/board-fs.js';
import { boardPath, isBoardPath, parseFlags, type Verb } from '../cli-context.js';
import { UsageError } from '../cli-io.js';

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const joinBoard = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

export const ls: Verb = {
  args: '[-r] [:path]',
  summary: 'list a board folder: size and name, folders end in /',
  async run(ctx) {
    const { flags, positional } = parseFlags('ls', ctx.args, { '-r': false });
    if (positional.length > 1) throw new UsageError('mote ls: one folder at a time');
    const dir = boardPath(positional[0] ?? ':');
    return ctx.withBoard(async ({ session }) => {
      const entries = await new BoardFs(session).ls(dir, { recursive: flags.has('-r') });
      for (const e of entries) {
        const rel = e.path === dir ? baseName(e.path) : e.path.slice(dir === '/' ? 1 : dir.length + 1);
        ctx.io.stdout.write(`${String(e.size).padStart(10)} ${rel}${e.isDir ? '/' : ''}\n`);
      }
      return 0;
    });
  },
};

export const cat: Verb = {
  args: ':file',
  summary: 'print a board file (bytes as they are)',
  async run(ctx) {
    if (ctx.args.length === 0) throw new UsageError('mote cat: which board file? e.g. mote cat :main.py');
    return ctx.withBoard(async ({ session }) => {
      const bfs = new BoardFs(session);
      for (const a of ctx.args) ctx.io.stdout.write(await bfs.get(boardPath(a)));
      return 0;
    });
  },
};

export const cp: Verb = {
  args: '[-r] SRC... DST',
  summary: 'copy files; ":" marks the board side: cp main.py : / cp :log.csv .',
  async run(ctx) {
    const { flags, positional } = parseFlags('cp', ctx.args, { '-r': false });
    if (positional.length < 2) throw new UsageError('mote cp: give a source and a destination, e.g. mote cp main.py :main.py');
    const dst = positional[positional.length - 1];
    const srcs = positional.slice(0, -1);
    const recursive = flags.has('-r');
    if (!isBoardPath(dst) && srcs.every((s) => !isBoardPath(s)))
      throw new UsageError('mote cp: one side must be on the board: mark board paths with ":" (e.g. :main.py)');
    return ctx.withBoard(async ({ session }) => {
      const bfs = new BoardFs(session);
      for (const src of srcs) {
        if (isBoardPath(dst)) {
          const data = isBoardPath(src) ? null : src;
          if (data !== null && recursive && fs.statSync(src).isDirectory()) {
            await uploadTree(bfs, src, await boardTarget(bfs, dst, path.basename(path.resolve(src)), srcs.length > 1));
          } else if (data !== null) {
            await bfs.put(await boardTarget(bfs, dst, path.basename(src), srcs.length > 1), readLocal(src));
          } else {
            // Board to board: through the host.
            const from = boardPath(src);
            await bfs.put(await boardTarget(bfs, dst, baseName(from), srcs.length > 1), await bfs.get(from));
          }
        } else {
          if (!isBoardPath(src)) throw new UsageError(`mote cp: ${src} and ${dst} are both on this computer`);
          const from = boardPath(src);
          const target = localTarget(dst, baseName(from) || 'board', srcs.length > 1);
          if (recursive && (await bfs.stat(from)).isDir) await downloadTree(bfs, from, target);
          else fs.writeFileSync(target, await bfs.get(from));
        }
      }
      return 0;
    });
  },
};

export const rm: Verb = {
  args: '[-r] :path...',
  summary: 'remove board files (-r: folders with everything in them)',
  async run(ctx) {
    const { flags, positional } = parseFlags('rm', ctx.args, { '-r': false });
    if (positional.length === 0) throw new UsageError('mote rm: which board path? e.g. mote rm :old.py');
    return ctx.withBoard(async ({ session }) => {
      const bfs = new BoardFs(session);
      for (const a of positional) await bfs.rm(boardPath(a), { recursive: flags.has('-r') });
      return 0;
    });
  },
};

export const mkdir: Verb = {
  args: '[-p] :path...',
  summary: 'make board folders (-p: parents too, no error if it exists)',
  async run(ctx) {
    const { flags, positional } = parseFlags('mkdir', ctx.args, { '-p': false });
    if (positional.length === 0) throw new UsageError('mote mkdir: which board folder? e.g. mote mkdir :lib');
    return ctx.withBoard(async ({ session }) => {
      const bfs = new BoardFs(session);
      for (const a of positional) await bfs.mkdir(boardPath(a), { parents: flags.has('-p') });
      return 0;
    });
  },
};

export const df: Verb = {
  args: '',
  summary: 'size, used and free space of the board filesystem, in bytes',
  async run(ctx) {
    if (ctx.args.length) throw new UsageError('mote df takes no arguments');
    return ctx.withBoard(async ({ session }) => {
      const u = await new BoardFs(session).df('/');
      const used = u.total - u.free;
      ctx.io.stdout.write(`mount size used avail use%\n/ ${u.total} ${used} ${u.free} ${u.total ? Math.round((100 * used) / u.total) : 0}\n`);
      return 0;
    });
  },
};

function readLocal(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new UsageError(`mote cp: cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Where a copy to board path `dst` lands: inside it if it is a folder (":" , "x/", an existing folder, or several sources). */
async function boardTarget(bfs: BoardFs, dst: string, name: string, many: boolean): Promise<string> {
  const d = boardPath(dst);
  if (dst === ':' || dst.endsWith('/') || many) return joinBoard(d, name);
  try {
    if ((await bfs.stat(d)).isDir) return joinBoard(d, name);
  } catch (e) {
    if (!(e instanceof BoardFsError && e.code === 'ENOENT')) throw e;
  }
  return d;
}

function localTarget(dst: string, name: string, many: boolean): string {
  const isDir = dst.endsWith('/') || dst.endsWith(path.sep) || many || (fs.existsSync(dst) && fs.statSync(dst).isDirectory());
  return isDir ? path.join(dst, name) : dst;
}

async function uploadTree(bfs: BoardFs, localDir: string, boardDir: string): Promise<void> {
  await bfs.mkdir(boardDir, { parents: true });
  for (const e of fs.readdirSync(localDir, { withFileTypes: true })) {
    const local = path.join(localDir, e.name);
    const remote = joinBoard(boardDir, e.name);
    if (e.isDirectory()) await uploadTree(bfs, local, remote);
    else if (e.isFile()) await bfs.put(remote, fs.readFileSync(local));
  }
}

async function downloadTree(bfs: BoardFs, boardDir: string, localDir: string): Promise<void> {
  fs.mkdirSync(localDir, { recursive: true });
  for (const e of await bfs.ls(boardDir, { recursive: true })) {
    const local = path.join(localDir, ...e.path.slice(boardDir === '/' ? 1 : boardDir.length + 1).split('/'));
    if (e.isDir) fs.mkdirSync(local, { recursive: true });
    else fs.writeFileSync(local, await bfs.get(e.path));
  }
}
