// A simulated ESP32 on a pty that can be flashed: the simulated board behind
// its ROM bootloader front, with the modem lines on a side socket (see
// modem-lines.ts for why a pty cannot carry them).

import * as path from 'node:path';
import { serveSimOnPty, type SimPtyOptions, type SimPtyServer } from '../node/sim-pty.js';
import { EspRomFront } from './esp-rom-front.js';
import { FlashStore } from './flash-store.js';
import { serveModemLines } from './modem-lines.js';

export interface EspSimPtyOptions extends Omit<SimPtyOptions, 'front'> {
  /** The board's flash image file (default: flash.bin beside the board's files). */
  flashFile?: string;
  /** Flash size in bytes (default 4 MiB, as on an ESP32-DevKitC). */
  flashSize?: number;
}

export interface EspSimPtyServer extends SimPtyServer {
  chip: EspRomFront;
}

export async function serveEspSimOnPty(opts: EspSimPtyOptions): Promise<EspSimPtyServer> {
  const flash = new FlashStore(opts.flashFile ?? path.join(path.dirname(opts.filesDir), 'flash.bin'), opts.flashSize ?? 4 * 1024 * 1024);
  let chip: EspRomFront | null = null;
  const server = await serveSimOnPty({
    ...opts,
    front: (board) => {
      chip = new EspRomFront(board, flash);
      return chip;
    },
  });
  const front = chip as EspRomFront | null;
  if (!front) throw new Error('the simulated board did not take its ROM front');
  const lines = await serveModemLines(opts.ptyPath, (dtr, rts) => front.setLines(dtr, rts));
  return {
    ...server,
    chip: front,
    async close() {
      await lines.close();
      await server.close();
      flash.close();
    },
  };
}
