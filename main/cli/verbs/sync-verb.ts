// `mote sync DIR [:REMOTE]`: make a board folder match a local one, moving
// only files whose SHA-256 differs (runtime/common/sync.ts does the work).
// Prints one line per change, for scripts; progress goes to stderr on a TTY.

import * as fsp from 'node:fs/promises';
import { syncFolder } from '../../../runtime/common/sync.js';
import { boardPath, parseFlags, type Verb } from '../cli-context.js';
import { UsageError } from '../cli-io.js';
import { hostFolder } from '../../../runtime/node/host-folder.js';

export const sync: Verb = {
  args: 'DIR [:path] [--delete] [--dry-run] [--mpy]',
  summary: 'make a board folder (default /) match DIR',
  async run(ctx) {
    const { flags, positional } = parseFlags('sync', ctx.args, { '--delete': false, '--dry-run': false, '--mpy': false });
    const [dir, remote, ...extra] = positional;
    if (!dir || extra.length) throw new UsageError('mote sync: which folder? e.g. mote sync ./src or mote sync ./src :/app');
    const stat = await fsp.stat(dir).catch(() => null);
    if (!stat?.isDirectory()) throw new UsageError(`mote sync: ${dir} is not a folder`);
    const dryRun = flags.has('--dry-run');
    const showProgress = (ctx.io.stderr as { isTTY?: boolean }).isTTY === true;
    return ctx.withBoard(async ({ session }) => {
      const plan = await syncFolder(session, hostFolder(dir), {
        remoteDir: boardPath(remote ?? ':'),
        deleteRemoved: flags.has('--delete'),
        dryRun,
        compileMpy: flags.has('--mpy'),
        onProgress: showProgress
          ? (p) => ctx.io.stderr.write(`\r${p.file}  ${Math.round((100 * p.done) / Math.max(1, p.total))}%  ${Math.round(p.bytesPerSecond / 1024)} KiB/s\x1b[K`)
          : undefined,
      });
      if (showProgress) ctx.io.stderr.write('\r\x1b[K');
      for (const u of plan.upload) ctx.io.stdout.write(`${dryRun ? 'would upload' : 'uploaded'} ${u.remotePath} (${u.size} bytes)\n`);
      for (const d of plan.delete) ctx.io.stdout.write(`${dryRun ? 'would delete' : 'deleted'} ${d.remotePath}\n`);
      const [up, del] = dryRun ? ['to upload', 'to delete'] : ['uploaded', 'deleted'];
      ctx.io.stdout.write(`${plan.upload.length} ${up}, ${plan.unchanged.length} unchanged, ${plan.delete.length} ${del}${dryRun ? ' (dry run)' : ''}\n`);
      return 0;
    });
  },
};
