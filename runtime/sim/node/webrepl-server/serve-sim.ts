// A simulated board with its WebREPL server, as `mote sim --webrepl` runs it.

import { SimBoard, type SimBoardOptions } from '../sim-board.js';
import { serveWebRepl, type WebReplServer, type WebReplServerOptions } from './webrepl-server.js';

export interface SimWebReplOptions extends SimBoardOptions, Omit<WebReplServerOptions, 'board'> {}

export interface SimWebRepl extends WebReplServer {
  board: SimBoard;
}

/** Boots a simulated board and serves WebREPL once it is ready (a board starts its server in boot.py). */
export async function serveSimWebRepl(opts: SimWebReplOptions): Promise<SimWebRepl> {
  const board = await SimBoard.start(opts);
  try {
    await new Promise<void>((resolve, reject) => {
      if (board.state === 'ready') return resolve();
      const off = board.onState((s) => {
        if (s === 'ready') {
          off();
          resolve();
        } else if (s === 'closed') reject(new Error('the simulated board closed while booting'));
      });
    });
    const server = await serveWebRepl({ ...opts, board });
    return {
      board,
      host: server.host,
      port: server.port,
      url: server.url,
      get stats() {
        return server.stats;
      },
      whenFree: () => server.whenFree(),
      async close() {
        await server.close();
        await board.close();
      },
    };
  } catch (e) {
    await board.close();
    throw e;
  }
}
