// Stands in for the terminal when tests run the CLI's main() in-process:
// stdout and stderr captured, stdin scripted, Ctrl-C pressed on request.
import { PassThrough } from 'node:stream';
import type { CliIo } from './cli-io.js';

export interface Captured {
  io: CliIo;
  stdout(): string;
  stderr(): string;
  /** Like pressing Ctrl-C in the terminal. */
  interrupt(): void;
  /** Resolves once stdout contains `text`. */
  waitForStdout(text: string, timeoutMs?: number): Promise<void>;
}

export function capture(stdinText?: string): Captured {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const handlers = new Set<() => void>();
  const waiters = new Set<() => void>();
  const stdin = new PassThrough();
  if (stdinText !== undefined) stdin.end(stdinText);
  const text = (parts: Buffer[]) => Buffer.concat(parts).toString('utf8');
  return {
    io: {
      stdout: { write: (d) => (out.push(Buffer.from(d)), waiters.forEach((w) => w())) },
      stderr: { write: (d) => err.push(Buffer.from(d)) },
      stdin,
      onInterrupt(h) {
        handlers.add(h);
        return () => handlers.delete(h);
      },
    },
    stdout: () => text(out),
    stderr: () => text(err),
    interrupt: () => handlers.forEach((h) => h()),
    waitForStdout(needle, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!text(out).includes(needle)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stdout never contained ${JSON.stringify(needle)}: ${JSON.stringify(text(out))}; stderr ${JSON.stringify(text(err))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
