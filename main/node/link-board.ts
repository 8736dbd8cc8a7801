// What every real board behind a Link has in common as a ConnectedBoard
// (serial in board-connection.ts, WebREPL in webrepl-board.ts): the session
// and file system on the current link, the status and terminal listeners,
// and a new session whenever the link is replaced after a reconnect. How a
// board is found again is the subclass's business.

import type { BoardInfo } from '../../runtime/common/board-identify.js';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import type { Link } from '../../runtime/common/link.js';
import { Listeners } from '../../runtime/common/listeners.js';
import { DEFAULT_INPUTS, EMPTY_VIEW } from '../../runtime/sim/common/board-view.js';
import type { ConnectionState } from '../common/api.js';
import type { ConnectedBoard } from './board-connection.js';

export abstract class LinkBoard<L extends Link> implements ConnectedBoard {
  abstract readonly targetId: string;
  abstract readonly connection: string;
  boardName: string;
  version = '';
  readonly view = EMPTY_VIEW;
  readonly inputs = DEFAULT_INPUTS;
  protected link!: L;
  private current!: { session: BoardSession; fs: BoardFs };
  private linkState: ConnectionState = 'ready';
  protected readonly closed = new AbortController();
  protected readonly terminal = new Listeners<[Uint8Array]>();
  private readonly status = new Listeners<[]>();

  constructor(
    defaultName: string,
    private readonly retry: RetryPlan,
  ) {
    this.boardName = defaultName;
  }

  get session(): BoardSession {
    return this.current.session;
  }
  get fs(): BoardFs {
    return this.current.fs;
  }
  get state(): ConnectionState {
    return this.linkState;
  }
  get outputs(): Record<number, 0 | 1> {
    return {};
  }
  setButton(): void {}
  setInput(): void {
    throw new Error('only the simulated board has inputs to set: this is a real board');
  }

  async hardReset(): Promise<void> {
    // At the friendly prompt: Ctrl-C twice stops a program, then machine.reset().
    // The board then goes away (off the USB bus, or its WebREPL session ends) and is found again.
    await this.session.terminalInput(Buffer.from('\x03\x03import machine; machine.reset()\r'));
  }

  onTerminal(listener: (b: Uint8Array) => void): () => void {
    return this.terminal.add(listener);
  }
  onStatus(listener: () => void): () => void {
    return this.status.add(listener);
  }
  onPins(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed.abort();
    this.session.abortActive(new Error('the board was disconnected'));
    await this.link.close().catch(() => undefined);
  }

  /** Takes a (new) link: a fresh session on it, and a reconnect when it goes away. */
  protected use(link: L, info: BoardInfo | null): void {
    this.link = link;
    const session = new BoardSession(link);
    this.current = { session, fs: new BoardFs(session) };
    session.onTerminal((b) => this.terminal.emit(b));
    if (info) {
      this.boardName = info.machine ?? `${info.platform} board`;
      this.version = `${info.implementation === 'micropython' ? 'MicroPython' : info.implementation} v${info.version}`;
    }
    link.onClose((e) => {
      if (e && !this.closed.signal.aborted) void this.reconnect(e);
    });
  }

  protected setState(s: ConnectionState): void {
    this.linkState = s;
    this.status.emit();
  }

  /** Waits between reconnect attempts; ends at once when the board is closed. */
  protected pause(ms: number): Promise<void> {
    const signal = this.closed.signal;
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }

  /**
   * The link went away unasked: look for the board again, one attempt at a
   * time, until the plan's deadline; said in the terminal and the status bar.
   */
  private async reconnect(why: Error): Promise<void> {
    this.session.abortActive(why);
    this.setState('reconnecting');
    this.terminal.emit(Buffer.from(`\r\n[${this.lostText(why)}; reconnecting...]\r\n`));
    const deadline = Date.now() + this.retry.withinMs;
    const signal = this.closed.signal;
    let last = why;
    let wait = this.retry.waitFirst;
    while (!signal.aborted && Date.now() < deadline) {
      if (wait) {
        await this.pause(this.retry.everyMs);
        if (signal.aborted) return;
      }
      wait = true;
      try {
        const { link, info } = await this.reattach(deadline);
        if (signal.aborted) return void (await link.close().catch(() => undefined));
        this.use(link, info);
        this.setState('ready');
        await this.backAgain();
        return;
      } catch (e) {
        last = e as Error;
        if (this.hopeless(last)) break;
      }
    }
    if (!signal.aborted) {
      this.terminal.emit(Buffer.from(`[${this.gaveUpText(last)}]\r\n`));
      this.setState('disconnected');
    }
  }

  /** One attempt to reach the board again, within `deadline` (ms since the epoch) where it can. */
  protected abstract reattach(deadline: number): Promise<{ link: L; info: BoardInfo | null }>;
  /** Why the board went away, for the terminal. */
  protected abstract lostText(why: Error): string;
  /** Said in the terminal once the board cannot be found, with the last attempt's error. */
  protected abstract gaveUpText(last: Error): string;
  /** Once found again: whatever brings the terminal back to a prompt. */
  protected abstract backAgain(): Promise<void> | void;
  /** An error no retry will fix. */
  protected hopeless(_e: Error): boolean {
    return false;
  }
}

/** How a board that went away is looked for. */
export interface RetryPlan {
  /** For how long, from when it went away. */
  withinMs: number;
  /** The pause between attempts. */
  everyMs: number;
  /** Pause before the first attempt too (a USB port needs a moment to come back). */
  waitFirst: boolean;
}
