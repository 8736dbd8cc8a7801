// One connected board, shared by the terminal and by commands. At rest the
// board's bytes go to the terminal; a command (run, file operation) takes the
// line for itself in raw mode, one at a time, and gives it back afterwards.

import type { Link } from './link.js';
import { RawRepl, type ExecResult } from './raw-repl.js';
import { pasteInSlices } from './terminal-paste.js';
import { inputBlockBytes } from './webrepl/link-traits.js';
import { Listeners } from './listeners.js';

export interface RunResult extends ExecResult {
  interrupted: boolean;
  /** Set when the run did not finish normally (board reset, link closed). */
  aborted: Error | null;
}

export class BoardSession {
  private readonly terminalListeners = new Listeners<[Uint8Array]>();
  private queue: Promise<unknown> = Promise.resolve();
  private active: RawRepl | null = null;
  private running: Promise<RunResult> | null = null;
  private lastTerminalByte = 0x0a;
  /** Terminal input in order: keys typed during a paced paste wait for it. */
  private typing: Promise<void> = Promise.resolve();
  private pasting: AbortController | null = null;

  constructor(readonly link: Link) {
    link.onData((d) => {
      if (!this.active) this.toTerminal(d);
    });
  }

  get busy(): boolean {
    return this.active !== null;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  onTerminal(listener: (b: Uint8Array) => void): () => void {
    return this.terminalListeners.add(listener);
  }

  /** Keys from the terminal go to the board as they are, also to a running program's input(). */
  terminalInput(data: Uint8Array): Promise<void> {
    // Ctrl-C jumps the queue and drops the rest of a paste, as it would stop the paste's code.
    if (data.includes(0x03)) {
      this.pasting?.abort();
      return this.link.write(data);
    }
    const ring = inputBlockBytes(this.link);
    const send =
      ring !== null && data.length > ring
        ? async () => {
            const stop = (this.pasting = new AbortController());
            try {
              await pasteInSlices(this.link, data, ring, stop.signal);
            } finally {
              if (this.pasting === stop) this.pasting = null;
            }
          }
        : () => this.link.write(data);
    const done = this.typing.then(send);
    this.typing = done.catch(() => undefined);
    return done;
  }

  /**
   * Runs `fn` with the board in raw mode; the terminal is quiet meanwhile.
   * Calls are queued, so two commands never interleave on the wire.
   */
  exclusive<T>(fn: (repl: RawRepl) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const repl = new RawRepl(this.link);
      this.active = repl;
      let entered = false;
      try {
        await repl.enter();
        entered = true;
        return await fn(repl);
      } finally {
        // Give the terminal its friendly REPL back even when the command failed,
        // unless the board was reset under us (then it is there already).
        if (entered && this.active === repl) await repl.exit().catch(() => undefined);
        this.active = null;
        repl.dispose();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs a program, streaming its output to the terminal. A running program is stopped first. */
  async run(source: string): Promise<RunResult> {
    if (this.running) {
      await this.stop();
      await this.running.catch(() => undefined);
    }
    const p = this.exclusive(async (repl) => {
      this.toTerminal(Buffer.from('\r\n'));
      const r = await repl.exec(source, {
        onStdout: (b) => this.toTerminal(b),
        onStderr: (b) => this.toTerminal(b),
        timeoutMs: Infinity,
      });
      return { ...r, interrupted: r.stderr.includes('KeyboardInterrupt'), aborted: null } satisfies RunResult;
    })
      .then((r) => {
        // The friendly prompt that leaving raw mode printed was swallowed with the banner.
        this.toTerminal(Buffer.from(this.lastTerminalByte === 0x0a ? '>>> ' : '\r\n>>> '));
        return r;
      })
      .catch((e: Error) => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), interrupted: false, aborted: e }));
    this.running = p;
    try {
      return await p;
    } finally {
      if (this.running === p) this.running = null;
    }
  }

  /** Ctrl-C: stops a running program, or clears the REPL line. */
  async stop(): Promise<void> {
    await this.link.write(Uint8Array.of(0x03));
  }

  /** Ctrl-D on an empty friendly line: fresh interpreter, boot.py, main.py. */
  async softReset(): Promise<void> {
    if (this.running) {
      await this.stop();
      await this.running;
    }
    await this.queue;
    await this.link.write(Buffer.from('\x03\x04'));
  }

  /** The board reset under a command (e.g. hard reset): end it, show what arrived. */
  abortActive(error: Error): void {
    const repl = this.active;
    if (!repl) return;
    const pending = repl.abort(error);
    this.active = null;
    if (pending.length) this.toTerminal(pending);
  }

  private toTerminal(b: Uint8Array): void {
    if (b.length === 0) return;
    this.lastTerminalByte = b[b.length - 1];
    this.terminalListeners.emit(b);
  }
}
