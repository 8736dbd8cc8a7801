// The `mote` command line: a table of verbs over the same board session the
// IDE uses. Today the board is the simulator; `--port` (real boards) comes next.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoardSession } from '../../runtime/common/board-session.js';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';

interface CliContext {
  args: string[];
  dataDir: string;
}

type Verb = (ctx: CliContext) => Promise<number>;

const USAGE = `Usage: mote <verb> [options]

Verbs:
  run <file.py>   run a file on the simulated board and print its output;
                  the exit code is 1 if the program raised an exception
  repl            an interactive REPL on the simulated board (Ctrl-] quits)
  help            this text

Options:
  --data-dir DIR  where the simulated board keeps its files
                  (default ~/.mote-studio)
`;

const VERBS: Record<string, Verb> = {
  run: doRun,
  repl: doRepl,
  help: async () => {
    process.stdout.write(USAGE);
    return 0;
  },
};

async function startBoard(ctx: CliContext): Promise<{ board: SimBoard; session: BoardSession }> {
  const board = await SimBoard.start({ filesDir: path.join(ctx.dataDir, 'boards', 'sim-pico') });
  return { board, session: new BoardSession(board) };
}

/** Board text uses \r\n; a host terminal or pipe wants \n. */
function toHostText(b: Buffer): Buffer {
  return Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}

async function doRun(ctx: CliContext): Promise<number> {
  const file = ctx.args[0];
  if (!file) {
    process.stderr.write('mote run: which file? e.g. mote run blink.py\n');
    return 2;
  }
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`mote run: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const { board, session } = await startBoard(ctx);
  // Ctrl-C here becomes Ctrl-C on the board: the program gets KeyboardInterrupt.
  const onSigint = () => void session.stop();
  process.on('SIGINT', onSigint);
  try {
    const result = await session.exclusive((repl) =>
      repl.exec(source, {
        onStdout: (b) => process.stdout.write(toHostText(b)),
        onStderr: (b) => process.stderr.write(toHostText(b)),
        timeoutMs: Infinity,
      }),
    );
    return result.stderr.length ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    await board.close();
  }
}

async function doRepl(ctx: CliContext): Promise<number> {
  const { board, session } = await startBoard(ctx);
  session.onTerminal((b) => process.stdout.write(b));
  const stdin = process.stdin;
  const tty = stdin.isTTY;
  if (tty) {
    stdin.setRawMode(true);
    process.stderr.write('Connected to the simulated board. Ctrl-] quits.\n');
  }
  const done = new Promise<void>((resolve) => {
    stdin.on('data', (d: Buffer) => {
      if (tty && d.includes(0x1d)) return resolve();
      // Piped text has \n line ends; the board reads \r as Enter.
      void session.terminalInput(tty ? d : Buffer.from(d.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1'));
    });
    stdin.on('end', () => {
      // Piped input: let the board answer the last line before quitting.
      let tail = '';
      const off = session.onTerminal((b) => {
        tail = (tail + Buffer.from(b).toString('latin1')).slice(-8);
        if (tail.endsWith('>>> ')) {
          off();
          resolve();
        }
      });
    });
  });
  await done;
  if (tty) stdin.setRawMode(false);
  stdin.pause();
  await board.close();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  let dataDir = path.join(os.homedir(), '.mote-studio');
  const i = args.indexOf('--data-dir');
  if (i >= 0) {
    const v = args[i + 1];
    if (!v) {
      process.stderr.write('mote: --data-dir needs a folder\n');
      return 2;
    }
    dataDir = path.resolve(v);
    args.splice(i, 2);
  }
  const verbName = args.shift() ?? 'help';
  const verb = VERBS[verbName === '--help' || verbName === '-h' ? 'help' : verbName];
  if (!verb) {
    process.stderr.write(`mote: unknown verb '${verbName}'\n\n${USAGE}`);
    return 2;
  }
  return verb({ args, dataDir });
}
