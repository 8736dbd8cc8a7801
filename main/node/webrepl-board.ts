// A board over WebREPL as the IDE back end sees it (a ConnectedBoard). Its
// session ends whenever the board resets (soft or hard: the board's sockets
// close) or the Wi-Fi drops, so it logs in again by itself for a while, with
// the state 'reconnecting' in the status bar meanwhile; a board that rejoins
// Wi-Fi after a reset takes a few seconds.

import { connectWebRepl } from '../../runtime/node/webrepl-connect.js';
import type { WebReplLink } from '../../runtime/node/webrepl-link.js';
import { LinkBoard } from './link-board.js';

export const WEBREPL_PREFIX = 'webrepl:';
/** How long a board whose session ended is looked for again (by default). */
export const WEBREPL_RECONNECT_MS = 20_000;
const RETRY_EVERY_MS = 300;

export class WebReplBoard extends LinkBoard<WebReplLink> {
  readonly targetId: string;

  private constructor(
    /** The canonical ws:// address; shown in the status bar. */
    readonly connection: string,
    private readonly password: string,
    private readonly reconnectMs: number,
  ) {
    super('WebREPL board');
    this.targetId = WEBREPL_PREFIX + connection;
  }

  static async open(url: string, password: string, opts: { reconnectMs?: number } = {}): Promise<WebReplBoard> {
    const { link, connection } = await connectWebRepl({ url, password });
    const board = new WebReplBoard(link.name, password, opts.reconnectMs ?? WEBREPL_RECONNECT_MS);
    board.use(link, connection.info);
    return board;
  }

  protected async reconnect(why: Error): Promise<void> {
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
        await this.pause(RETRY_EVERY_MS);
      }
    }
    if (!signal.aborted) {
      this.terminal.emit(Buffer.from(`[the board did not come back: ${last.message}]\r\n`));
      this.setState('disconnected');
    }
  }
}
