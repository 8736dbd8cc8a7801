// Which board a CLI verb talks to: a serial port (--port), a board over
// WebREPL (--webrepl), or, without either,
// the built-in simulated board with its files under the data folder. Either
// way the verb gets a connected BoardSession, the object the IDE uses too.

import * as path from 'node:path';
import { connectBoard, type Connection } from '../../runtime/common/board-connect.js';
import type { BoardInfo } from '../../runtime/common/board-identify.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import type { Link } from '../../runtime/common/link.js';
import { connectSerial } from '../../runtime/node/serial-connect.js';
import { connectWebRepl } from '../../runtime/node/webrepl-connect.js';
import { SerialLink } from '../../runtime/node/serial-link.js';
import { SimBoard, type SimBoardOptions } from '../../runtime/sim/node/sim-board.js';
import { DEFAULT_PROFILE_ID, profileById } from '../../runtime/sim/common/profiles.js';

export interface TargetOptions {
  /** Serial port path; null for the simulated board. */
  port: string | null;
  baud: number;
  dataDir: string;
  /** WebREPL address (ws://HOST:8266); null for USB or the simulated board. */
  webrepl: string | null;
  /** The WebREPL password, once known (see webrepl-password.ts). */
  password: string | null;
  /** Board model of the simulated board (runtime/sim/common/profiles.ts). */
  simBoard: string;
  /** Let the simulated board's sockets reach public addresses. */
  simAllowPublic: boolean;
}

/** How to start the simulated board the options name: its model, files and network policy. */
export function simBoardOptions(target: TargetOptions): SimBoardOptions {
  return {
    filesDir: simFilesDir(target.dataDir, target.simBoard),
    profile: profileById(target.simBoard),
    hostSettings: { network: { allowPublic: target.simAllowPublic } },
  };
}

export interface BoardHandle {
  session: BoardSession;
  link: Link;
  /** Identify results, when asked for; null with identifyError set if the board answered oddly. */
  info: BoardInfo | null;
  identifyError: string | null;
  /** True for the built-in simulated board. */
  simulated: boolean;
  close(): Promise<void>;
}

/** Each board model keeps its own files, as in the IDE. */
export function simFilesDir(dataDir: string, profileId: string = DEFAULT_PROFILE_ID): string {
  return path.join(dataDir, 'boards', profileId);
}

export async function openBoard(target: TargetOptions, opts: { identify?: boolean } = {}): Promise<BoardHandle> {
  const identify = opts.identify ?? false;
  if (target.webrepl) {
    const { link, connection } = await connectWebRepl({ url: target.webrepl, password: target.password ?? '', identify });
    return handle(link, connection, false, () => link.close());
  }
  if (!target.port) {
    const board = await SimBoard.start(simBoardOptions(target));
    try {
      // The simulator can be reset like a board's RESET button, so a looping main.py never locks us out.
      const c = await connectBoard(board, { identify });
      return handle(board, c, true, () => board.close());
    } catch (e) {
      await board.close();
      throw e;
    }
  }
  const link = await SerialLink.open({ path: target.port, baudRate: target.baud });
  try {
    return handle(link, await connectSerial(link, target.port, identify), false, () => link.close());
  } catch (e) {
    await link.close().catch(() => undefined);
    throw e;
  }
}

function handle(link: Link, c: Connection, simulated: boolean, close: () => Promise<void>): BoardHandle {
  return { session: new BoardSession(link), link, info: c.info, identifyError: c.identifyError, simulated, close };
}
