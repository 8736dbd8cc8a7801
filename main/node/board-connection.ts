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
import { SimBoard } from '../../runtime/sim/node/sim-board.js';
import { profileById } from '../../runtime/sim/common/profiles.js';
import { DEFAULT_INPUTS, EMPTY_VIEW, type BoardView, type SimInput, type SimInputs } from '../../runtime/sim/common/board-view.js';
import type { ConnectionState } from '../common/api.js';

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

export class Listeners<T extends unknown[]> {
  private set = new Set<(...a: T) => void>();
  add(l: (...a: T) => void): () => void {
    this.set.add(l);
    return () => this.set.delete(l);
  }
  emit(...a: T): void {
    for (const l of this.set) l(...a);
  }
}

export async function openSimBoard(filesDir: string, profileId: string): Promise<ConnectedBoard> {
  const board = await SimBoard.start({ filesDir, profile: profileById(profileId) });
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

export class SerialBoard implements ConnectedBoard {
  readonly targetId: string;
  boardName = 'Serial board';
  version = '';
  private link!: SerialLink;
  private current!: { session: BoardSession; fs: BoardFs };
  private linkState: ConnectionState = 'ready';
  private closed = new AbortController();
  private terminal = new Listeners<[Uint8Array]>();
  private status = new Listeners<[]>();

  private constructor(
    readonly connection: string,
    private readonly reconnectMs: number,
  ) {
    this.targetId = SERIAL_PREFIX + connection;
  }

  /** Opens the port and gets the board's attention; errors say what to do. */
  static async open(portPath: string, opts: { reconnectMs?: number } = {}): Promise<SerialBoard> {
    const board = new SerialBoard(portPath, opts.reconnectMs ?? RECONNECT_MS);
    const { link, info } = await attach(portPath);
    board.use(link, info);
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
  readonly view = EMPTY_VIEW;
  readonly inputs = DEFAULT_INPUTS;
  setButton(): void {}
  setInput(): void {
    throw new Error('only the simulated board has inputs to set: this is a real board');
  }

  async hardReset(): Promise<void> {
    // At the friendly prompt: Ctrl-C twice stops a program, then machine.reset().
    // A native-USB board drops off the bus; the reconnect loop finds it again.
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

  private use(link: SerialLink, info: BoardInfo | null): void {
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

  // No event says "the port is back", so the path is tried at intervals until a deadline.
  private async reconnect(why: Error): Promise<void> {
    this.session.abortActive(why);
    this.setState('reconnecting');
    this.terminal.emit(Buffer.from(`\r\n[${this.connection} went away; reconnecting...]\r\n`));
    const deadline = Date.now() + this.reconnectMs;
    const signal = this.closed.signal;
    while (!signal.aborted && Date.now() < deadline) {
      await wait(RETRY_EVERY_MS, signal);
      if (signal.aborted) return;
      try {
        const { link, info } = await attach(this.connection);
        if (signal.aborted) {
          await link.close().catch(() => undefined);
          return;
        }
        this.use(link, info);
        this.setState('ready');
        await this.session.terminalInput(Buffer.from('\r')).catch(() => undefined);
        return;
      } catch {
        // Not back yet.
      }
    }
    if (!signal.aborted) {
      this.terminal.emit(Buffer.from(`[${this.connection} did not come back]\r\n`));
      this.setState('disconnected');
    }
  }
}

async function attach(portPath: string): Promise<{ link: SerialLink; info: BoardInfo | null }> {
  const link = await SerialLink.open({ path: portPath });
  try {
    const c = await connectSerial(link, portPath, true);
    return { link, info: c.info };
  } catch (e) {
    await link.close().catch(() => undefined);
    if (e instanceof ConnectError) throw new Error(`${portPath} did not answer like a MicroPython board: ${e.message}`);
    throw e;
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
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
