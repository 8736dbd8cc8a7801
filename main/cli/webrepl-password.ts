// Where `mote --webrepl` gets the board's password: --password, else the
// MOTE_WEBREPL_PASSWORD environment variable, else a prompt on the terminal
// that does not echo. A password typed at the prompt never lands in shell
// history; none of them is ever printed.

import type { CliIo } from './cli-io.js';
import { UsageError } from './cli-io.js';

export const PASSWORD_ENV = 'MOTE_WEBREPL_PASSWORD';

export async function webReplPassword(given: string | null, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (given !== null) return given;
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  if (io.stdin.isTTY !== true || !io.stdin.setRawMode) {
    throw new UsageError(`mote: the WebREPL password is needed: pass --password, set ${PASSWORD_ENV}, or run in a terminal to be asked`);
  }
  return promptHidden(io, 'WebREPL password: ');
}

/** Reads a line in raw mode, echoing nothing; Ctrl-C or Ctrl-D gives up. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  const { stdin, stderr } = io;
  stderr.write(question);
  stdin.setRawMode!(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new UsageError('mote: no password given'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
