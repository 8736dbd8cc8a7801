// `mote sim --pty PATH`: the simulated board on a pseudo-terminal, for any
// serial tool (mpremote, picocom, Thonny, `mote --port PATH`), until Ctrl-C.

import * as path from 'node:path';
import { serveSimOnPty } from '../../../runtime/sim/node/sim-pty.js';
import { simFilesDir } from '../board-target.js';
import { parseFlags, type Verb } from '../cli-context.js';
import { UsageError } from '../cli-io.js';

export const sim: Verb = {
  args: '--pty PATH [--baud N]',
  summary: 'serve the simulated board on a pty until Ctrl-C',
  async run(ctx) {
    const { flags, positional } = parseFlags('sim', ctx.args, { '--pty': true, '--baud': true });
    const pty = flags.get('--pty');
    if (typeof pty !== 'string' || positional.length) throw new UsageError('mote sim: give the pty path, e.g. mote sim --pty /tmp/ttyMOTE');
    const baudArg = flags.get('--baud');
    const baud = baudArg === undefined ? 0 : Number(baudArg);
    if (!Number.isInteger(baud) || baud < 0) throw new UsageError(`mote sim: --baud must be a whole number, not ${String(baudArg)}`);
    const server = await serveSimOnPty({ ptyPath: path.resolve(pty), filesDir: simFilesDir(ctx.target.dataDir), baud });
    // stdout carries just the path, for scripts; the rest is for people.
    ctx.io.stdout.write(`${server.ptyPath}\n`);
    ctx.io.stderr.write(`Simulated board on ${server.ptyPath}${baud ? ` at ${baud} baud` : ''}. Ctrl-C stops it.\n`);
    await new Promise<void>((resolve) => {
      const off = ctx.io.onInterrupt(() => {
        off();
        resolve();
      });
    });
    await server.close();
    return 0;
  },
};
