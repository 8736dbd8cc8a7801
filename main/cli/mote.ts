// The `mote` command line, modelled on mpremote: a table of verbs over the
// same board session the IDE uses. `--port` picks a serial board; without it
// the verbs use the built-in simulated board; `--webrepl` a board over Wi-Fi.
//
// Exit codes: 0 ok, 1 the board raised an exception (the program's, or a
// file operation's OSError), 2 usage or connection problems. Results go to
// stdout, errors to stderr.

import { BOARD_PROFILES, DEFAULT_PROFILE_ID, findProfile } from '../../runtime/sim/common/profiles.js';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectError } from '../../runtime/common/board-connect.js';
import { BoardError } from '../../runtime/common/raw-repl.js';
import { openBoard, type TargetOptions } from './board-target.js';
import type { CliContext, Verb } from './cli-context.js';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { devs, info, reset, softReset } from './verbs/board-verbs.js';
import { evalVerb, exec, run } from './verbs/code-verbs.js';
import { cat, cp, df, ls, mkdir, rm } from './verbs/fs-verbs.js';
import { flash } from './verbs/flash-verb.js';
import { mip } from './verbs/mip-verb.js';
import { ota } from './verbs/ota-verb.js';
import { repl } from './verbs/repl-verb.js';
import { sim } from './verbs/sim-verb.js';
import { sync } from './verbs/sync-verb.js';
import { WebReplError } from '../../runtime/node/webrepl-link.js';
import { PASSWORD_ENV, webReplPassword } from './webrepl-password.js';

const help: Verb = {
  args: '',
  summary: 'this text',
  async run(ctx) {
    ctx.io.stdout.write(usage());
    return 0;
  },
};

const VERBS: Record<string, Verb> = {
  devs,
  info,
  repl,
  run,
  exec,
  eval: evalVerb,
  ls,
  cat,
  cp,
  rm,
  mkdir,
  df,
  sync,
  mip,
  ota,
  flash,
  reset,
  'soft-reset': softReset,
  sim,
  help,
};

function usage(): string {
  const COLUMN = 30;
  const verbs = Object.entries(VERBS)
    .map(([name, v]) => {
      const head = `  ${name} ${v.args}`.trimEnd();
      return head.length < COLUMN ? head.padEnd(COLUMN) + v.summary : `${head}\n${''.padEnd(COLUMN)}${v.summary}`;
    })
    .join('\n');
  return `Usage: mote [--port PORT | --webrepl ws://HOST:8266 [--password P]] [--baud N] [--data-dir DIR] [--board MODEL] <verb> [arguments]

Verbs:
${verbs}

Options:
  --port PORT     a serial board, e.g. /dev/ttyACM0 or COM3 (see mote devs);
                  without it, the built-in simulated board
  --webrepl URL   a board over Wi-Fi (WebREPL), e.g. ws://192.168.4.1:8266
  --password P    its WebREPL password; better: set ${PASSWORD_ENV}, or be asked
  --baud N        serial speed (default 115200)
  --data-dir DIR  where the simulated board keeps its files (default ~/.mote-studio)
  --board MODEL   the simulated board's model: ${BOARD_PROFILES.map((p) => p.id).join(', ')} (default ${DEFAULT_PROFILE_ID})
  --sim-allow-public  let the simulated board's sockets reach public addresses
                  (by default only loopback and private networks)

Exit codes: 0 ok, 1 the board raised an exception, 2 usage or connection error.
`;
}

const GLOBAL_FLAGS = new Set(['--port', '-p', '--baud', '--data-dir', '--webrepl', '--password', '--board']);
/** `mote sim --webrepl [--password P]` serves WebREPL: there these two are the verb's own. */
const SIM_OWN_FLAGS = new Set(['--webrepl', '--password']);

/** Takes the global options out of argv, wherever they are (before a `--`). */
function parseGlobals(argv: string[]): { target: TargetOptions; rest: string[] } {
  const target: TargetOptions = {
    port: null,
    baud: 115200,
    dataDir: path.join(os.homedir(), '.mote-studio'),
    webrepl: null,
    password: null,
    simBoard: DEFAULT_PROFILE_ID,
    simAllowPublic: false,
  };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--sim-allow-public') {
      target.simAllowPublic = true;
      continue;
    }
    // After the verb, -p is the verb's own (mkdir -p), as --webrepl and --password are sim's.
    const verbsOwn = rest.length > 0 && (a === '-p' || (rest[0] === 'sim' && SIM_OWN_FLAGS.has(a)));
    if (!GLOBAL_FLAGS.has(a) || verbsOwn) {
      rest.push(a);
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`mote: ${a} needs a value`);
    if (a === '--port' || a === '-p') target.port = v;
    else if (a === '--webrepl') target.webrepl = v;
    else if (a === '--password') target.password = v;
    else if (a === '--data-dir') target.dataDir = path.resolve(v);
    else if (a === '--board') {
      if (!findProfile(v)) throw new UsageError(`mote: unknown --board '${v}' (one of: ${BOARD_PROFILES.map((p) => p.id).join(', ')})`);
      target.simBoard = v;
    }
    else {
      const baud = Number(v);
      if (!Number.isInteger(baud) || baud <= 0) throw new UsageError(`mote: --baud must be a positive whole number, not ${v}`);
      target.baud = baud;
    }
  }
  if (target.port && target.webrepl) throw new UsageError('mote: use --port (USB) or --webrepl (Wi-Fi), not both');
  if (target.password !== null && !target.webrepl && rest[0] !== 'sim') throw new UsageError('mote: --password goes with --webrepl');
  return { target, rest };
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const { target, rest } = parseGlobals(argv);
    const name = rest.shift() ?? 'help';
    const verb = VERBS[name === '--help' || name === '-h' ? 'help' : name];
    if (!verb) throw new UsageError(`mote: unknown verb '${name}'\n\n${usage()}`);
    const ctx: CliContext = {
      args: rest,
      io,
      target,
      async withBoard(fn, opts) {
        if (target.webrepl) target.password = await webReplPassword(target.password, io);
        const board = await openBoard(target, opts);
        try {
          return await fn(board);
        } finally {
          await board.close();
        }
      },
    };
    return await verb.run(ctx);
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CliIo): number {
  const err = e instanceof Error ? e : new Error(String(e));
  if (err instanceof BoardError) {
    // The board's own words: the traceback for a program, the message for a file operation.
    io.stderr.write(`${err.message}\n`);
    return 1;
  }
  if (err instanceof UsageError || err instanceof ConnectError) io.stderr.write(`${err.message}\n`);
  else if (err instanceof WebReplError) io.stderr.write(`mote: WebREPL: ${err.message}\n`);
  else io.stderr.write(`mote: ${err.message}\n`);
  return 2;
}
