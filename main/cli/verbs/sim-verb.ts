// `mote sim`: the simulated board for other tools, until Ctrl-C.
// --pty PATH: on a pseudo-terminal, for any serial tool (mpremote, picocom,
// Thonny, `mote --port PATH`). --webrepl: as a Wi-Fi board's WebREPL server
// on 127.0.0.1:8266, for `mote --webrepl`, the browser client or webrepl_cli.py.

import * as path from 'node:path';
import { serveSimOnPty } from '../../../runtime/sim/node/sim-pty.js';
import { simBoardOptions } from '../board-target.js';
import { parseFlags, type Verb } from '../cli-context.js';
import { UsageError } from '../cli-io.js';
import { serveSimWebReplVerb, untilInterrupted, WEBREPL_FLAGS } from './sim-webrepl.js';

export const sim: Verb = {
  args: '--pty PATH [--baud N] | --webrepl [--password P] [--listen [HOST:]PORT] [--input-buffer N]',
  summary: 'serve the simulated board on a pty, or over WebREPL, until Ctrl-C',
  async run(ctx) {
    const { flags, positional } = parseFlags('sim', ctx.args, { '--pty': true, '--baud': true, ...WEBREPL_FLAGS });
    if (positional.length) throw new UsageError(`mote sim: unexpected ${positional[0]}`);
    if (flags.has('--webrepl')) {
      if (flags.has('--pty')) throw new UsageError('mote sim: choose --pty or --webrepl');
      return serveSimWebReplVerb(ctx, flags);
    }
    const pty = flags.get('--pty');
    if (typeof pty !== 'string') throw new UsageError('mote sim: give the pty path, e.g. mote sim --pty /tmp/ttyMOTE, or --webrepl');
    const baudArg = flags.get('--baud');
    const baud = baudArg === undefined ? 0 : Number(baudArg);
    if (!Number.isInteger(baud) || baud < 0) throw new UsageError(`mote sim: --baud must be a whole number, not ${String(baudArg)}`);
    const server = await serveSimOnPty({ ...simBoardOptions(ctx.target), ptyPath: path.resolve(pty), baud });
    // stdout carries just the path, for scripts; the rest is for people.
    ctx.io.stdout.write(`${server.ptyPath}\n`);
    ctx.io.stderr.write(`Simulated board on ${server.ptyPath}${baud ? ` at ${baud} baud` : ''}. Ctrl-C stops it.\n`);
    await untilInterrupted(ctx);
    await server.close();
    return 0;
  },
};
