// run, exec, eval: code on the board, its output on stdout, its exception on
// stderr and exit code 1, like a local interpreter.

import * as fs from 'node:fs';
import type { CliContext, Verb } from '../cli-context.js';
import { HostTextStream, UsageError } from '../cli-io.js';

/**
 * Runs `source` to the end, streaming output. Ctrl-C in the terminal becomes
 * Ctrl-C on the board; a second one stops waiting for a program that ignores it.
 */
async function runOnBoard(ctx: CliContext, source: string): Promise<number> {
  return ctx.withBoard(async ({ session }) => {
    const out = new HostTextStream();
    const err = new HostTextStream();
    let interrupts = 0;
    const off = ctx.io.onInterrupt(() => {
      if (++interrupts === 1) void session.stop();
      else session.abortActive(new Error('gave up after a second Ctrl-C; the program may still be running on the board'));
    });
    try {
      const result = await session.exclusive((repl) =>
        repl.exec(source, {
          onStdout: (b) => ctx.io.stdout.write(out.write(b)),
          onStderr: (b) => ctx.io.stderr.write(err.write(b)),
          timeoutMs: Infinity,
        }),
      );
      ctx.io.stdout.write(out.end());
      ctx.io.stderr.write(err.end());
      return result.stderr.length ? 1 : 0;
    } finally {
      off();
    }
  });
}

export const run: Verb = {
  args: '<file.py>',
  summary: 'run a local file on the board (exit code 1 if it raised)',
  async run(ctx) {
    const [file, ...extra] = ctx.args;
    if (!file || extra.length) throw new UsageError('mote run: which file? e.g. mote run blink.py');
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`mote run: cannot read ${file}: ${(e as Error).message}`);
    }
    return runOnBoard(ctx, source);
  },
};

export const exec: Verb = {
  args: '<code>',
  summary: 'run Python code given on the command line',
  async run(ctx) {
    if (ctx.args.length !== 1) throw new UsageError(`mote exec: give the code as one argument, e.g. mote exec "print(1)"`);
    return runOnBoard(ctx, ctx.args[0]);
  },
};

export const evalVerb: Verb = {
  args: '<expression>',
  summary: 'print the value of a Python expression',
  async run(ctx) {
    if (ctx.args.length !== 1) throw new UsageError(`mote eval: give one expression, e.g. mote eval "1 + 1"`);
    return runOnBoard(ctx, `print(${ctx.args[0]})`);
  },
};
