// A board over WebREPL as the IDE back end sees it (a ConnectedBoard). Its
// session ends whenever the board resets (soft or hard: the board's sockets
// close) or the Wi-Fi drops, so it logs in again by itself for a while, with
// the state 'reconnecting' in the status bar meanwhile; a board that rejoins
// Wi-Fi after a reset takes a few seconds.

import type { BoardInfo } from '../../runtime/common/board-identify.js';
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
    reconnectMs: number,
  ) {
    super('WebREPL board', { withinMs: reconnectMs, everyMs: RETRY_EVERY_MS, waitFirst: false });
    this.targetId = WEBREPL_PREFIX + connection;
  }

  static async open(url: string, password: string, opts: { reconnectMs?: number } = {}): Promise<WebReplBoard> {
    const { link, connection } = await connectWebRepl({ url, password });
    const board = new WebReplBoard(link.name, password, opts.reconnectMs ?? WEBREPL_RECONNECT_MS);
    board.use(link, connection.info);
    return board;
  }

  protected async reattach(): Promise<{ link: WebReplLink; info: BoardInfo | null }> {
    const { link, connection } = await connectWebRepl({ url: this.connection, password: this.password, timeoutMs: 3000 });
    return { link, info: connection.info };
  }

  protected lostText(why: Error): string {
    return `WebREPL session ended (${why.message})`;
  }

  protected gaveUpText(last: Error): string {
    return `the board did not come back: ${last.message}`;
  }

  protected backAgain(): void {
    this.terminal.emit(Buffer.from('[reconnected]\r\n>>> '));
  }

  /** A wrong password will not get better by retrying. */
  protected override hopeless(e: Error): boolean {
    return (e as { code?: string }).code === 'bad-password';
  }
}
