// The raw REPL client: the one place that knows the raw REPL and raw-paste
// byte protocols (see ../shared/PROTOCOLS.md). Everything above it works in
// terms of exec and eval.

import type { Link } from './link.js';
import { LinkReader } from './link-reader.js';

const RAW_PROMPT = 'raw REPL; CTRL-B to exit\r\n>';
const CTRL_A = 0x01;
const CTRL_D = 0x04;

export interface ExecOptions {
  /** Program output as it streams (raw bytes). */
  onStdout?: (b: Buffer) => void;
  /** Exception text as it streams. */
  onStderr?: (b: Buffer) => void;
  /** Overall limit for the program; Infinity for programs the user stops. */
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
}

export class BoardError extends Error {
  constructor(
    message: string,
    readonly traceback: string,
  ) {
    super(message);
    this.name = 'BoardError';
  }
}

export class RawRepl {
  private readonly reader: LinkReader;
  /** null until the first raw-paste request tells us what the firmware can do. */
  private rawPaste: boolean | null = null;

  constructor(private readonly link: Link) {
    this.reader = new LinkReader(link);
  }

  /** Interrupts whatever runs and enters the raw REPL. */
  async enter(timeoutMs = 10000): Promise<void> {
    await this.link.write(Buffer.from('\r\x03'));
    this.reader.discard();
    await this.link.write(Buffer.from('\r\x01'));
    // From the friendly REPL a "\r\n" comes first; from raw mode it does not.
    await this.reader.readUntil(RAW_PROMPT, timeoutMs, 'entering the raw REPL (is a program ignoring Ctrl-C?)');
  }

  /** Back to the friendly REPL; swallows the banner up to the prompt. */
  async exit(timeoutMs = 5000): Promise<void> {
    await this.link.write(Buffer.from('\r\x02'));
    await this.reader.readUntil('>>> ', timeoutMs, 'leaving the raw REPL');
  }

  /** Runs source at the raw prompt; resolves with its stdout and exception text. */
  async exec(source: string | Buffer, opts: ExecOptions = {}): Promise<ExecResult> {
    const src = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    const deadline = Date.now() + (opts.timeoutMs ?? 30000);
    if (this.rawPaste !== false) {
      const used = await this.sendRawPaste(src, deadline);
      if (!used) await this.sendPacedRaw(src, deadline);
    } else {
      await this.sendPacedRaw(src, deadline);
    }
    const stdout = await this.reader.streamUntil(CTRL_D, opts.onStdout, deadline, 'waiting for the program to finish');
    const stderr = await this.reader.streamUntil(CTRL_D, opts.onStderr, deadline, 'waiting for the exception text');
    await this.reader.readUntil('>', Math.max(1000, deadline - Date.now()), 'waiting for the raw prompt');
    return { stdout, stderr };
  }

  /** exec, raising BoardError when the program raised. */
  async execChecked(source: string, opts: ExecOptions = {}): Promise<Buffer> {
    const r = await this.exec(source, opts);
    if (r.stderr.length) {
      const tb = r.stderr.toString('utf8');
      const last = tb.trim().split(/\r?\n/).pop() ?? tb;
      throw new BoardError(last, tb);
    }
    return r.stdout;
  }

  /** Ends the current exchange with `error`; returns bytes received but not consumed. */
  abort(error: Error): Buffer {
    this.reader.fail(error);
    return this.reader.discard();
  }

  dispose(): void {
    this.reader.dispose();
  }

  // Raw-paste (v1.14+): the board grants credit in windows and compiles as the
  // bytes stream in. Returns false when the firmware does not support it.
  private async sendRawPaste(src: Buffer, deadline: number): Promise<boolean> {
    await this.link.write(Uint8Array.of(0x05, 0x41, CTRL_A));
    const answer = await this.reader.readExactly(2, 5000, 'waiting for the raw-paste answer');
    if (answer[0] !== 0x52) {
      // Older firmware took the bytes as program text; Ctrl-A re-printed the prompt.
      await this.reader.readUntil(RAW_PROMPT, 5000, 'recovering from an unsupported raw-paste request');
      this.rawPaste = false;
      return false;
    }
    if (answer[1] === 0x00) {
      // Understood but not supported: the board prints '>' again.
      await this.reader.readUntil('>', 5000, 'after a refused raw-paste request');
      this.rawPaste = false;
      return false;
    }
    this.rawPaste = true;
    const window = (await this.reader.readExactly(2, 5000, 'reading the raw-paste window')).readUInt16LE(0);
    let credit = window;
    let sent = 0;
    while (sent < src.length) {
      // Collect credit and early-stop requests that arrived so far.
      while (credit === 0 || this.reader.pending > 0) {
        if (credit === 0) await this.reader.waitForData(deadline, 'waiting for raw-paste flow control');
        const b = this.reader.take(1)[0];
        if (b === CTRL_A) credit += window;
        else if (b === CTRL_D) {
          // The board wants us to stop (syntax error or interrupt).
          await this.link.write(Uint8Array.of(CTRL_D));
          return true;
        }
        if (this.reader.pending === 0 && credit > 0) break;
      }
      const n = Math.min(credit, src.length - sent);
      await this.link.write(src.subarray(sent, sent + n));
      sent += n;
      credit -= n;
    }
    await this.link.write(Uint8Array.of(CTRL_D));
    // Skip remaining credit bytes up to the board's end-of-data ack.
    for (;;) {
      const b = (await this.reader.readExactly(1, Math.max(1000, deadline - Date.now()), 'waiting for the end of raw-paste'))[0];
      if (b === CTRL_D) return true;
    }
  }

  // Plain raw mode has no flow control: small boards have 256-byte buffers.
  private async sendPacedRaw(src: Buffer, deadline: number): Promise<void> {
    for (let i = 0; i < src.length; i += 256) {
      await this.link.write(src.subarray(i, i + 256));
      if (i + 256 < src.length) await new Promise((r) => setTimeout(r, 10));
    }
    await this.link.write(Uint8Array.of(CTRL_D));
    await this.reader.readUntil('OK', Math.max(1000, deadline - Date.now()), 'waiting for the raw REPL to accept the program');
  }
}
