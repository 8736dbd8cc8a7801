// A board over WebREPL as the IDE back end sees it (a ConnectedBoard). Its
// session ends whenever the board resets (soft or hard: the board's sockets
// close) or the Wi-Fi drops, so it logs in again by itself for a while, with
// the state 'reconnecting' in the status bar meanwhile; a board that rejoins
// Wi-Fi after a reset takes a few seconds.

import type { BoardInfo } from '../../runtime/common/board-identify.js';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { connectWebRepl } from '../../runtime/node/webrepl-connect.js';
import type { WebReplLink } from '../../runtime/node/webrepl-link.js';
import { DEFAULT_INPUTS, EMPTY_VIEW } from '../../runtime/sim/common/board-view.js';
import type { ConnectionState } from '../common/api.js';
import { Listeners, type ConnectedBoard } from './board-connection.js';

export const WEBREPL_PREFIX = 'webrepl:';
/** How long a board whose session ended is looked for again (by default). */
export const WEBREPL_RECONNECT_MS = 20_000;
const RETRY_EVERY_MS = 300;

export class WebReplBoard implements ConnectedBoard {
  readonly targetId: string;
  boardName = 'WebREPL board';
  version = '';
  readonly view = EMPTY_VIEW;
  readonly inputs = DEFAULT_INPUTS;
  private link!: WebReplLink;
  private current!: { session: BoardSession; fs: BoardFs };
  private linkState: ConnectionState = 'ready';
  private readonly closed = new AbortController();
  private readonly terminal = new Listeners<[Uint8Array]>();
  private readonly status = new Listeners<[]>();

  private constructor(
    /** The canonical ws:// address; shown in the status bar. */
    readonly connection: string,
    private readonly password: string,
    private readonly reconnectMs: number,
  ) {
    this.targetId = WEBREPL_PREFIX + connection;
  }

  static async open(url: string, password: string, opts: { reconnectMs?: number } = {}): Promise<WebReplBoard> {
    const { link, connection } = await connectWebRepl({ url, password });
    const board = new WebReplBoard(link.name, password, opts.reconnectMs ?? WEBREPL_RECONNECT_MS);
    board.use(link, connection.info);
    return board;
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
    // There are no reset lines over the air: machine.reset(); the session then ends and is reopened.
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

  private use(link: WebReplLink, info: BoardInfo | null): void {
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

  private setState(s: ConnectionState): void {
    this.linkState = s;
    this.status.emit();
  }

  private async reconnect(why: Error): Promise<void> {
    this.session.abortActive(why);
    this.setState('reconnecting');
    this.terminal.emit(Buffer.from(`\r\n[WebREPL session ended (${why.message}); reconnecting...]\r\n`));
    const deadline = Date.now() + this.reconnectMs;
    const signal = this.closed.signal;
    let last: Error = why;
    while (!signal.aborted && Date.now() < deadline) {
      try {
        const { link, connection } = await connectWebRepl({ url: this.connection, password: this.password, timeoutMs: 3000 });
        if (signal.aborted) return void (await link.close().catch(() => undefined));
        this.use(link, connection.info);
        this.setState('ready');
        this.terminal.emit(Buffer.from('[reconnected]\r\n>>> '));
        return;
      } catch (e) {
        last = e as Error;
        // A wrong password will not get better by retrying.
        if ((e as { code?: string }).code === 'bad-password') break;
        await new Promise((r) => setTimeout(r, RETRY_EVERY_MS));
      }
    }
    if (!signal.aborted) {
      this.terminal.emit(Buffer.from(`[the board did not come back: ${last.message}]\r\n`));
      this.setState('disconnected');
    }
  }
}
