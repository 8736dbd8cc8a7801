// What every verb gets, and the small argument helpers verbs share.

import type { BoardHandle, TargetOptions } from './board-target.js';
import { UsageError, type CliIo } from './cli-io.js';

export interface CliContext {
  /** Arguments after the verb. */
  args: string[];
  io: CliIo;
  target: TargetOptions;
  /** Connects to the target board, runs `fn`, and always disconnects. */
  withBoard<T>(fn: (board: BoardHandle) => Promise<T>, opts?: { identify?: boolean }): Promise<T>;
}

export interface Verb {
  /** For the help text: the arguments after the verb's name, and what it does. */
  args: string;
  summary: string;
  run(ctx: CliContext): Promise<number>;
}

/**
 * Splits `args` into flags and positional arguments. `flags` names the
 * accepted flags; `true` means the flag takes a value. Anything after `--`
 * is positional.
 */
export function parseFlags(
  verb: string,
  args: string[],
  flags: Record<string, boolean>,
): { flags: Map<string, string | true>; positional: string[] } {
  const found = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (!(a in flags)) throw new UsageError(`mote ${verb}: unknown option ${a}`);
    if (flags[a]) {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`mote ${verb}: ${a} needs a value`);
      found.set(a, v);
    } else found.set(a, true);
  }
  return { flags: found, positional };
}

/** A board path argument: ":lib/x.py" or "lib/x.py" -> "/lib/x.py"; ":" -> "/". */
export function boardPath(arg: string): string {
  const p = arg.startsWith(':') ? arg.slice(1) : arg;
  return '/' + p.split('/').filter((s) => s && s !== '.').join('/');
}

export function isBoardPath(arg: string): boolean {
  return arg.startsWith(':');
}
