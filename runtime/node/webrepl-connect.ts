// Getting a board's attention over WebREPL, shared by the CLI and the IDE
// back end: log in, then the same interrupt / raw REPL / identify steps as
// over USB. There is no hardware reset over the air.

import { connectBoard, type Connection } from '../common/board-connect.js';
import { WebReplLink, type WebReplLinkOptions } from './webrepl-link.js';

export async function connectWebRepl(opts: WebReplLinkOptions & { identify?: boolean }): Promise<{ link: WebReplLink; connection: Connection }> {
  const link = await WebReplLink.open(opts);
  try {
    const connection = await connectBoard(link, { identify: opts.identify ?? true, hardReset: null, budgetMs: 8000 });
    return { link, connection };
  } catch (e) {
    await link.close().catch(() => undefined);
    throw e;
  }
}
