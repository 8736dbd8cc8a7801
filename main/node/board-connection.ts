// The board the IDE back end talks to: the built-in simulator or a serial
// port. Both look the same from above (a BoardSession, a BoardFs, a status);
// a serial board also survives a reset or re-plug: when its port goes away
// it is reopened for a while, and the session is rebuilt on the new link.

import { ConnectError } from '../../runtime/common/board-connect.js';
import type { BoardInfo } from '../../runtime/common/board-identify.js';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { connectSerial } from '../../runtime/node/serial-connect.js';
import { SerialLink } from '../../runtime/node/serial-link.js';
import { MP_VERSION } from '../../runtime/sim/common/board-profile.js';
import type { NetworkSettings } from '../../runtime/sim/node/net/address-policy.js';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';
import { profileById } from '../../runtime/sim/common/profiles.js';
import { DEFAULT_INPUTS, EMPTY_VIEW, type BoardView, type SimInput, type SimInputs } from '../../runtime/sim/common/board-view.js';
import type { ConnectionState } from '../common/api.js';
import { Listeners } from '../../runtime/common/listeners.js';
import { LinkBoard } from './link-board.js';

export const SIM_TARGET = 'sim';
export const SERIAL_PREFIX = 'serial:';

export interface ConnectedBoard {
  readonly targetId: string;
  /** The session on the current link; a serial board gets a new one after reconnecting. */
  readonly session: BoardSession;
  readonly fs: BoardFs;
  readonly boardName: string;
  readonly version: string;
  /** For the status bar: "Simulator" or the port path. */
  readonly connection: string;
  /** The link's own state; the back end adds 'running'. */
  readonly state: ConnectionState;
  readonly outputs: Record<number, 0 | 1>;
  /** The simulated hardware as the board view draws it (empty for a real board). */
  readonly view: BoardView;
  /** What the user set in the board view (defaults for a real board). */
  readonly inputs: SimInputs;
  setButton(pressed: boolean): void;
  /** A slider, switch or button in the board view moved; a real board has none and throws. */
  setInput(input: SimInput): void;
  hardReset(): Promise<void>;
  /** Bytes for the terminal, from whichever session is current. */
  onTerminal(listener: (b: Uint8Array) => void): () => void;
  /** The status (name, version, state) changed. */
  onStatus(listener: () => void): () => void;
  onPins(listener: () => void): () => void;
  close(): Promise<void>;
}

export async function openSimBoard(filesDir: string, profileId: string, network: NetworkSettings = {}): Promise<ConnectedBoard> {
  const board = await SimBoard.start({ filesDir, profile: profileById(profileId), hostSettings: { network } });
  const session = new BoardSession(board);
  const fs = new BoardFs(session);
  const status = new Listeners<[]>();
  board.onState((s) => {
    // A reset ends whatever command was using the line.
    if (s === 'resetting') session.abortActive(new Error('the board was reset'));
    status.emit();
  });
  return {
    targetId: SIM_TARGET,
    session,
    fs,
    boardName: board.profile.name,
    version: `MicroPython v${MP_VERSION}`,
    connection: 'Simulator',
    get state(): ConnectionState {
      return board.state === 'closed' ? 'disconnected' : board.state;
    },
    get outputs() {
      return board.outputs;
    },
    get view(): BoardView {
      return board.view;
    },
    get inputs(): SimInputs {
      return board.inputs;
    },
    setButton: (pressed) => board.setButton(pressed),
    setInput: (input) => board.setInput(input),
    hardReset: () => board.hardReset(),
    onTerminal: (l) => session.onTerminal(l),
    onStatus: (l) => status.add(l),
    onPins: (l) => board.onView(() => l()),
    close: () => board.close(),
  };
}

/** How long a serial board that went away is looked for (by default), and how often. */
export const RECONNECT_MS = 10_000;
const RETRY_EVERY_MS = 500;
/**
 * The least time one reconnect attempt gets to hear the board. A port that
 * opens but stays silent (a stale link, a board still booting) would otherwise
 * hold an attempt for the whole connect budget, long past the deadline.
 */
const MIN_ATTEMPT_MS = 1500;

export class SerialBoard extends LinkBoard<SerialLink> {
  readonly targetId: string;

  private constructor(readonly connection: string, reconnectMs: number) {
    // No event says "the port is back", so the path is tried at intervals, after the first pause.
    super('Serial board', { withinMs: reconnectMs, everyMs: RETRY_EVERY_MS, waitFirst: true });
    this.targetId = SERIAL_PREFIX + connection;
  }

  /** Opens the port and gets the board's attention; errors say what to do. */
  static async open(portPath: string, opts: { reconnectMs?: number } = {}): Promise<SerialBoard> {
    const board = new SerialBoard(portPath, opts.reconnectMs ?? RECONNECT_MS);
    const { link, info } = await attach(portPath);
    board.use(link, info);
    return board;
  }

  protected reattach(deadline: number): Promise<{ link: SerialLink; info: BoardInfo | null }> {
    return attach(this.connection, Math.max(MIN_ATTEMPT_MS, deadline - Date.now()));
  }

  protected lostText(): string {
    return `${this.connection} went away`;
  }

  protected gaveUpText(): string {
    return `${this.connection} did not come back`;
  }

  protected async backAgain(): Promise<void> {
    await this.session.terminalInput(Buffer.from('\r')).catch(() => undefined);
  }
}

async function attach(portPath: string, budgetMs?: number): Promise<{ link: SerialLink; info: BoardInfo | null }> {
  const link = await SerialLink.open({ path: portPath });
  try {
    const c = await connectSerial(link, portPath, true, budgetMs);
    return { link, info: c.info };
  } catch (e) {
    await link.close().catch(() => undefined);
    if (e instanceof ConnectError) throw new Error(`${portPath} did not answer like a MicroPython board: ${e.message}`);
    throw e;
  }
}
