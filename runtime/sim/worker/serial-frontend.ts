// The part of the simulated board that reads the RX line. The wasm REPL does
// the friendly and raw REPL itself; this front end tracks which mode it is in
// and adds what the port cannot do: raw-paste with flow control and early
// syntax-error abort, and soft reset as a fresh interpreter.

import type { BootMode } from '../common/sim-protocol.js';
import type { OutputStream } from './output-stream.js';

const CTRL_A = 0x01;
const CTRL_B = 0x02;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_E = 0x05;
/** replProcessChar's answer to Ctrl-D on an empty line: "soft reset now". */
const PYEXEC_FORCED_EXIT = 0x100;
/** Raw-paste window: the board grants this many bytes per 0x01 it sends. */
export const RAW_PASTE_WINDOW = 128;

export interface FrontendHost {
  replProcessChar(c: number): number;
  out: OutputStream;
  /** Line of the first SyntaxError in `src`, 0 if it compiles, -1 if unknown. */
  syntaxErrorLine(src: string): number;
  requestReset(mode: BootMode): void;
}

type Mode = 'friendly' | 'raw' | 'raw-paste' | 'raw-paste-aborted';

export class SerialFrontend {
  private mode: Mode = 'friendly';
  private rawLineLength = 0;
  /** Bytes of a possible raw-paste request (0x05 'A' 0x01) seen so far. */
  private pasteRequest: number[] = [];
  private paste: number[] = [];
  private nextSyntaxCheck = 2 * RAW_PASTE_WINDOW;

  constructor(private readonly host: FrontendHost) {}

  get inRawMode(): boolean {
    return this.mode !== 'friendly';
  }

  /** After a soft reset from raw mode the fresh interpreter starts in raw mode. */
  enterRawSilently(): void {
    this.host.replProcessChar(CTRL_A);
    this.mode = 'raw';
    this.rawLineLength = 0;
  }

  feed(b: number): void {
    switch (this.mode) {
      case 'friendly':
        return this.feedFriendly(b);
      case 'raw':
        return this.feedRaw(b);
      case 'raw-paste':
        return this.feedRawPaste(b);
      case 'raw-paste-aborted':
        // Bytes already in flight when we asked the host to stop are dropped
        // until it acknowledges with 0x04.
        if (b === CTRL_D) this.finishAbortedPaste();
        else if (b === CTRL_C) this.interruptPaste();
        return;
    }
  }

  private feedFriendly(b: number): void {
    if (b === CTRL_A) {
      this.mode = 'raw';
      this.rawLineLength = 0;
    }
    if (this.host.replProcessChar(b) === PYEXEC_FORCED_EXIT) this.softReset('soft-friendly');
  }

  private feedRaw(b: number): void {
    if (this.pasteRequest.length > 0 || (b === CTRL_E && this.rawLineLength === 0)) {
      this.pasteRequest.push(b);
      const req = this.pasteRequest;
      if (req.length === 2 && req[1] !== 0x41) return this.flushPasteRequest();
      if (req.length === 3) {
        if (req[2] !== CTRL_A) return this.flushPasteRequest();
        this.pasteRequest = [];
        return this.startRawPaste();
      }
      return;
    }
    if (b === CTRL_B) {
      this.mode = 'friendly';
      this.host.replProcessChar(b);
      return;
    }
    if (b === CTRL_D && this.rawLineLength === 0) {
      if (this.host.replProcessChar(b) === PYEXEC_FORCED_EXIT) this.softReset('soft-raw');
      return;
    }
    if (b === CTRL_D) {
      // The port prints "OK" and runs the program inside one call; a program
      // that never prints would leave the "OK" unsent, so send it first.
      this.host.out.write('OK');
      this.host.out.flush();
      this.host.out.dropNext('OK');
    }
    this.host.replProcessChar(b);
    this.rawLineLength = b === CTRL_D || b === CTRL_C || b === CTRL_A ? 0 : this.rawLineLength + 1;
  }

  // Not a raw-paste request after all: the bytes are program text.
  private flushPasteRequest(): void {
    const req = this.pasteRequest;
    this.pasteRequest = [];
    for (const c of req) this.feedRaw(c);
  }

  private startRawPaste(): void {
    this.mode = 'raw-paste';
    this.paste = [];
    this.nextSyntaxCheck = 2 * RAW_PASTE_WINDOW;
    // 'R' 0x01: supported; window size as uint16 LE; then one 0x01 so the host
    // starts with two windows of credit, as a board does.
    this.host.out.writeRaw(Uint8Array.of(0x52, 0x01, RAW_PASTE_WINDOW & 0xff, RAW_PASTE_WINDOW >> 8, 0x01));
    this.host.out.flush();
  }

  private feedRawPaste(b: number): void {
    if (b === CTRL_C) return this.interruptPaste();
    if (b === CTRL_D) {
      this.host.out.writeRaw(Uint8Array.of(CTRL_D)); // end of data acknowledged
      this.host.out.flush();
      this.mode = 'raw';
      this.executePaste(this.paste);
      return;
    }
    this.paste.push(b);
    if (this.paste.length % RAW_PASTE_WINDOW === 0) {
      if (this.paste.length >= this.nextSyntaxCheck && this.hasEarlySyntaxError()) {
        this.mode = 'raw-paste-aborted';
        this.host.out.writeRaw(Uint8Array.of(CTRL_D)); // "stop sending"
        this.host.out.flush();
        return;
      }
      this.host.out.writeRaw(Uint8Array.of(0x01)); // one more window of credit
      this.host.out.flush();
    }
  }

  // A board compiles while the bytes arrive. We compile the complete lines
  // received so far, at doubling sizes to keep the cost linear.
  private hasEarlySyntaxError(): boolean {
    this.nextSyntaxCheck = this.paste.length * 2;
    const lastNl = this.paste.lastIndexOf(0x0a);
    if (lastNl < 0) return false;
    const prefix = Buffer.from(this.paste.slice(0, lastNl + 1)).toString('utf8');
    const lines = prefix.split('\n').length - 1;
    // An open triple-quoted string is reported where it starts, so a cut
    // inside one looks like an early error: wait for more text then.
    const tripleQuotes = (prefix.match(/"""|'''/g) ?? []).length;
    if (tripleQuotes % 2 === 1) return false;
    // A cut program fails at its end (line lines + 1); an error on an earlier
    // line is in the text itself.
    const line = this.host.syntaxErrorLine(prefix);
    if (line > 0 && line <= lines) {
      this.paste = this.paste.slice(0, lastNl + 1);
      return true;
    }
    return false;
  }

  // Ctrl-C while the program streams in: a board's compiler gets a
  // KeyboardInterrupt, stops reading and reports it, back at the raw prompt.
  private interruptPaste(): void {
    this.paste = [];
    this.mode = 'raw';
    this.rawLineLength = 0;
    this.host.out.writeRaw(Buffer.from('\x04\x04Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n\x04>', 'latin1'));
    this.host.out.flush();
  }

  private finishAbortedPaste(): void {
    this.mode = 'raw';
    // Compiling the received prefix in the raw REPL prints the same traceback
    // the board would; nothing runs because it does not compile.
    this.executePaste(this.paste);
  }

  private executePaste(source: number[]): void {
    this.paste = [];
    // Raw-paste answers without the "OK" of plain raw mode.
    this.host.out.dropNext('OK');
    this.host.out.flush();
    for (const c of source) {
      // Control bytes would be taken as REPL commands by the wasm raw REPL.
      if (c > CTRL_D || c === 0x00) this.host.replProcessChar(c);
    }
    this.host.replProcessChar(CTRL_D);
    this.rawLineLength = 0;
  }

  private softReset(mode: BootMode): void {
    this.host.out.write('MPY: soft reboot\r\n');
    this.host.requestReset(mode);
  }
}
