// The raw REPL client: the one place that knows the raw REPL and raw-paste
// byte protocols (see ../shared/PROTOCOLS.md). Everything above it works in
// terms of exec and eval.

import { drainLink, type Link } from './link.js';
import { LinkClosedError, LinkReader } from './link-reader.js';
import { sendInBlocks } from './webrepl/block-exec.js';
import { inputBlockBytes } from './webrepl/link-traits.js';

/** What the board prints on entering (or re-entering) the raw REPL. */
export const RAW_PROMPT = 'raw REPL; CTRL-B to exit\r\n>';
const CTRL_A = 0x01;
const CTRL_D = 0x04;

/**
 * How plain raw mode (no flow control) feeds a program to the board. The
 * board's input ring can be far smaller than 256 bytes: MicroPython 1.9.2 on
 * the micro:bit drops bytes when 256- or even 64-byte bursts arrive faster
 * than its REPL loop drains them (measured under qemu, where the "wire" has no
 * baud limit). Small chunks at about the 115200-baud line rate never overrun
 * it, and on a real UART the line is that slow anyway.
 */
export interface RawPacing {
  chunkBytes: number;
  pauseMs: number;
}

export const DEFAULT_PACING: RawPacing = { chunkBytes: 32, pauseMs: 3 };

export interface RawReplOptions {
  pacing?: RawPacing;
}

// What the firmware behind a link can do outlives one RawRepl: BoardSession
// makes a RawRepl per command, and probing raw-paste on old firmware costs a
// round trip and a re-printed banner every time.
const rawPasteByLink = new WeakMap<Link, boolean>();

/** Forgets what was learnt about a link's firmware (e.g. another board was plugged in). */
export function forgetFirmwareTraits(link: Link): void {
  rawPasteByLink.delete(link);
}

/** true / false once known, null before the first exec on this link. */
export function rawPasteSupport(link: Link): boolean | null {
  return rawPasteByLink.get(link) ?? null;
}

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
  private readonly pacing: RawPacing;

  constructor(
    private readonly link: Link,
    opts: RawReplOptions = {},
  ) {
    this.reader = new LinkReader(link);
    this.pacing = opts.pacing ?? DEFAULT_PACING;
  }

  /** null until the first raw-paste request tells us what the firmware can do. */
  private get rawPaste(): boolean | null {
    return rawPasteSupport(this.link);
  }

  private set rawPaste(v: boolean) {
    rawPasteByLink.set(this.link, v);
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

  /**
   * Ctrl-D on an empty raw line: a fresh interpreter; boot.py runs, main.py
   * does not. The board stays in the raw REPL. Its reply is "OK", "soft reboot"
   * (1.9.x prints "\r\nsoft reboot\r\n", newer firmware "MPY: soft reboot\r\n"),
   * boot.py's output, then the raw banner and prompt.
   */
  async softReset(timeoutMs = 10000): Promise<void> {
    await this.link.write(Uint8Array.of(CTRL_D));
    await this.reader.readUntil('soft reboot', timeoutMs, 'waiting for the soft reset');
    try {
      await this.reader.readUntil(RAW_PROMPT, timeoutMs, 'waiting for the raw REPL after the soft reset');
    } catch (e) {
      // Over WebREPL the reset closes the board's sockets: the reset happened, the session is over.
      if (!(e instanceof LinkClosedError)) throw e;
    }
  }

  /** Runs source at the raw prompt; resolves with its stdout and exception text. */
  async exec(source: string | Buffer, opts: ExecOptions = {}): Promise<ExecResult> {
    const deadline = Date.now() + (opts.timeoutMs ?? 30000);
    await this.sendProgram(source, deadline);
    const stdout = await this.reader.streamUntil(CTRL_D, opts.onStdout, deadline, 'waiting for the program to finish');
    const stderr = await this.reader.streamUntil(CTRL_D, opts.onStderr, deadline, 'waiting for the exception text');
    await this.reader.readUntil('>', Math.max(1000, deadline - Date.now()), 'waiting for the raw prompt');
    return { stdout, stderr };
  }

  /**
   * Sends a program and returns as soon as the board has accepted it, without
   * waiting for it to end: for programs that never return, like
   * machine.reset(). The exchange is then unfinished, so use this RawRepl no
   * further.
   */
  async submit(source: string | Buffer, timeoutMs = 10000): Promise<void> {
    await this.sendProgram(source, Date.now() + timeoutMs);
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

  private async sendProgram(source: string | Buffer, deadline: number): Promise<void> {
    const src = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    // A board behind a small input ring and no raw-paste (WebREPL): paced by its own answers.
    const block = inputBlockBytes(this.link);
    if (block !== null) return sendInBlocks(this.link, this.reader, src, deadline, block);
    if (this.rawPaste !== false) {
      const used = await this.sendRawPaste(src, deadline);
      if (!used) await this.sendPacedRaw(src, deadline);
    } else {
      await this.sendPacedRaw(src, deadline);
    }
  }

  // Raw-paste (v1.14+): the board grants credit in windows and compiles as the
  // bytes stream in. Returns false when the firmware does not support it.
  private async sendRawPaste(src: Buffer, deadline: number): Promise<boolean> {
    await this.link.write(Uint8Array.of(0x05, 0x41, CTRL_A));
    const answer = await this.reader.readExactly(2, 5000, 'waiting for the raw-paste answer');
    if (answer[0] !== 0x52) {
      // Older firmware (e.g. 1.9.2) took 0x05 'A' as program text and Ctrl-A
      // reset the line and re-printed the banner: the two bytes just read are
      // its first two ("ra"), so put them back before looking for the prompt.
      this.reader.unread(answer);
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

  // Plain raw mode has no flow control: the board drops what overflows its
  // input ring, so feed it in small slices (see RawPacing).
  private async sendPacedRaw(src: Buffer, deadline: number): Promise<void> {
    const { chunkBytes, pauseMs } = this.pacing;
    for (let i = 0; i < src.length; i += chunkBytes) {
      await this.link.write(src.subarray(i, i + chunkBytes));
      // A USB-UART driver can queue many slices, which then leave as one
      // burst that overruns the ring: wait until the host has sent each one.
      // (On a pty, e.g. qemu's, tcdrain returns at once; nothing is queued.)
      await drainLink(this.link);
      if (i + chunkBytes < src.length) await new Promise((r) => setTimeout(r, pauseMs));
    }
    await this.link.write(Uint8Array.of(CTRL_D));
    await this.reader.readUntil('OK', Math.max(1000, deadline - Date.now()), 'waiting for the raw REPL to accept the program');
  }
}
