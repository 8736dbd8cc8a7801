// `mote sim --webrepl`: the simulated board as a Wi-Fi board's WebREPL
// server (runtime/sim/node/webrepl-server). Loopback only by default.

import { serveSimWebRepl } from '../../../runtime/sim/node/webrepl-server/serve-sim.js';
import { simBoardOptions } from '../board-target.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../cli-io.js';
import { PASSWORD_ENV } from '../webrepl-password.js';

export const WEBREPL_FLAGS = { '--webrepl': false, '--password': true, '--listen': true, '--input-buffer': true, '--input-rate': true } as const;

/** What the simulator asks for when no password is given (shown, since it is no secret). */
export const SIM_DEFAULT_PASSWORD = 'mote';

function whole(flags: Map<string, string | true>, name: string, min: number): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) throw new UsageError(`mote sim: ${name} must be a whole number of at least ${min}`);
  return n;
}

export async function serveSimWebReplVerb(ctx: CliContext, flags: Map<string, string | true>): Promise<number> {
  const given = flags.get('--password');
  const password = typeof given === 'string' ? given : (process.env[PASSWORD_ENV] ?? SIM_DEFAULT_PASSWORD);
  if (password.length < 4 || password.length > 9) throw new UsageError('mote sim: a WebREPL password has 4 to 9 characters');
  const listen = flags.get('--listen');
  let host = '127.0.0.1';
  let port = 8266;
  if (typeof listen === 'string') {
    const m = /^(?:(.+):)?(\d+)$/.exec(listen);
    if (!m) throw new UsageError('mote sim: --listen takes PORT or HOST:PORT');
    host = m[1] ?? host;
    port = Number(m[2]);
  }
  const server = await serveSimWebRepl({
    ...simBoardOptions(ctx.target),
    password,
    host,
    port,
    inputBuffer: whole(flags, '--input-buffer', 16),
    inputRate: whole(flags, '--input-rate', 1),
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new UsageError(`mote sim: ${host}:${port} is in use (another simulator?); pick another with --listen`);
    throw e;
  });
  ctx.io.stdout.write(`${server.url}\n`);
  const which = typeof given === 'string' || process.env[PASSWORD_ENV] ? 'the one you gave' : `"${SIM_DEFAULT_PASSWORD}" (set one with --password)`;
  ctx.io.stderr.write(`Simulated board serving WebREPL on ${server.url}, password ${which}. Ctrl-C stops it.\n`);
  await untilInterrupted(ctx);
  await server.close();
  return 0;
}

/** Resolves on Ctrl-C in the user's terminal. */
export function untilInterrupted(ctx: CliContext): Promise<void> {
  return new Promise<void>((resolve) => {
    const off = ctx.io.onInterrupt(() => {
      off();
      resolve();
    });
  });
}
