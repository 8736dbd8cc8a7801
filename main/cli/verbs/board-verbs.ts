// The board itself: which ports have boards, what a board is, resets, and
// an interactive REPL.

import { listPorts } from '../../../runtime/node/port-list.js';
import { parseFlags, type Verb } from '../cli-context.js';
import { UsageError } from '../cli-io.js';

export const devs: Verb = {
  args: '[--json] [--probe]',
  summary: 'list serial ports, likely MicroPython boards first',
  async run(ctx) {
    const { flags, positional } = parseFlags('devs', ctx.args, { '--json': false, '--probe': false });
    if (positional.length) throw new UsageError('mote devs takes no arguments');
    const ports = await listPorts({ probeByOpening: flags.has('--probe') });
    if (flags.has('--json')) {
      ctx.io.stdout.write(JSON.stringify(ports, null, 2) + '\n');
      return 0;
    }
    // Tab-separated: path, vid:pid (or -), kind, description, who holds it (or -).
    for (const p of ports) {
      const ids = p.vid ? `${p.vid}:${p.pid ?? '????'}` : '-';
      ctx.io.stdout.write([p.path, ids, p.kind, p.description, p.busy ? `busy: ${p.busy}` : '-'].join('\t') + '\n');
    }
    if (!ports.length) ctx.io.stderr.write('no serial ports found\n');
    return 0;
  },
};

export const info: Verb = {
  args: '[--json]',
  summary: 'what the board is: firmware, platform, memory, filesystem',
  async run(ctx) {
    const { flags, positional } = parseFlags('info', ctx.args, { '--json': false });
    if (positional.length) throw new UsageError('mote info takes no arguments');
    return ctx.withBoard(
      async ({ info: i, identifyError }) => {
        if (!i) throw new Error(`the board answers but could not be identified: ${identifyError ?? 'no details'}`);
        if (flags.has('--json')) ctx.io.stdout.write(JSON.stringify(i, null, 2) + '\n');
        else {
          const rows: Array<[string, string | number | null]> = [
            ['implementation', i.implementation],
            ['version', i.version],
            ['platform', i.platform],
            ['machine', i.machine],
            ['mpy', i.mpy],
            ['build', i.build],
            ['mem_free', i.memFree],
            ['mem_alloc', i.memAlloc],
            ['fs_size', i.fsSize],
            ['fs_free', i.fsFree],
          ];
          for (const [k, v] of rows) ctx.io.stdout.write(`${k}: ${v ?? '-'}\n`);
        }
        return 0;
      },
      { identify: true },
    );
  },
};

export const reset: Verb = {
  args: '',
  summary: 'hard reset (machine.reset()); main.py runs again',
  async run(ctx) {
    if (ctx.args.length) throw new UsageError('mote reset takes no arguments');
    return ctx.withBoard(async ({ session }) => {
      // machine.reset() never returns: send it and go. Leaving raw mode
      // afterwards waits (bounded) for the rebooted board's prompt.
      await session.exclusive((repl) => repl.submit('import machine\nmachine.reset()'));
      return 0;
    });
  },
};

export const softReset: Verb = {
  args: '',
  summary: 'soft reset: fresh interpreter, boot.py runs, main.py does not',
  async run(ctx) {
    if (ctx.args.length) throw new UsageError('mote soft-reset takes no arguments');
    return ctx.withBoard(async ({ session }) => {
      await session.exclusive((repl) => repl.softReset());
      return 0;
    });
  },
};
