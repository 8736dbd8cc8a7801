// `mote repl`: the user's terminal joined to the board's friendly REPL.
// Interactive (a TTY in raw mode, Ctrl-] quits) or piped (lines in, the
// board's answers out, quitting once the last line has been answered).

import type { BoardSession } from '../../../runtime/common/board-session.js';
import type { Verb } from '../cli-context.js';
import { UsageError, type CliInput } from '../cli-io.js';

export const repl: Verb = {
  args: '',
  summary: 'interactive REPL (Ctrl-] quits); piped input runs line by line',
  async run(ctx) {
    if (ctx.args.length) throw new UsageError('mote repl takes no arguments');
    return ctx.withBoard(async ({ session, link, simulated }) => {
      const { stdin, stdout, stderr } = ctx.io;
      session.onTerminal((b) => stdout.write(b));
      const tty = stdin.isTTY === true;
      if (tty) {
        stdin.setRawMode?.(true);
        stderr.write(`Connected to ${simulated ? 'the simulated board' : link.name}. Ctrl-] quits.\n`);
      }
      try {
        await (tty ? interactive(stdin, session) : piped(stdin, session));
      } finally {
        if (tty) stdin.setRawMode?.(false);
        stdin.pause();
      }
      return 0;
    });
  },
};

async function interactive(stdin: CliInput, session: BoardSession): Promise<void> {
  // Show the prompt the connect left the board at.
  await session.terminalInput(Buffer.from('\r'));
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      if (!d.includes(0x1d)) return void session.terminalInput(d);
      stdin.off('data', onData);
      resolve();
    };
    stdin.on('data', onData);
  });
}

/**
 * Every Enter (\r) the board reads is answered by exactly one prompt, ">>> "
 * or "... ", once the line has run. So after the input ends (plus one empty
 * line, which also closes an open block), the answer to the last line is in
 * when as many prompts have arrived as Enters were sent.
 */
async function piped(stdin: CliInput, session: BoardSession): Promise<void> {
  let sent = 0;
  let seen = 0;
  let carry = '';
  let ended = false;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (ended && seen >= sent) {
        off();
        resolve();
      }
    };
    const off = session.onTerminal((b) => {
      const text = carry + Buffer.from(b).toString('latin1');
      // The carry (3 bytes) is too short to hold a whole prompt, so no prompt is counted twice.
      seen += (text.match(/(>>>|\.\.\.) /g) ?? []).length;
      carry = text.slice(-3);
      check();
    });
    const send = (text: string) => {
      sent += (text.match(/\r/g) ?? []).length;
      void session.terminalInput(Buffer.from(text, 'latin1'));
    };
    // Piped text has \n line ends; the board reads \r as Enter.
    send('\r');
    stdin.on('data', (d: Buffer) => send(d.toString('latin1').replace(/\r?\n/g, '\r')));
    stdin.on('end', () => {
      send('\r');
      ended = true;
      check();
    });
  });
}
