// A simulated board seen from the host: a Link that speaks exactly the bytes
// of a real board, plus its virtual hardware (the board view it draws, the
// inputs the user sets). It owns the worker
// that runs the interpreter, keeps a pre-loaded spare worker so resets are
// fast, and hard-resets a board whose program ignores Ctrl-C.

import type { Link } from '../../common/link.js';
import { SIM_PICO, type BoardProfile } from '../common/board-profile.js';
import { Ctl, type BootMode, type HostToWorker, type WorkerToHost } from '../common/sim-protocol.js';
import { wake } from '../common/stdin-ring.js';
import { EMPTY_VIEW, type BoardView, type SimInput, type SimInputs } from '../common/board-view.js';
import { BoardInputs } from './board-inputs.js';
import { BoardWorker, DEFAULT_MEMORY_CAP, takeWorker } from './worker-pool.js';
import { HostCallRouter, type HostServiceFactory } from './host-services.js';
import { HOST_SERVICES } from './host-service-list.js';
import { Listeners } from '../../common/listeners.js';

export interface SimBoardOptions {
  /** Host folder that holds the board's files. */
  filesDir: string;
  profile?: BoardProfile;
  /** Interpreter memory limit in bytes (default 256 MiB). */
  memoryCap?: number;
  /** How long a program may ignore Ctrl-C before a hard reset (default 700 ms). */
  interruptGraceMs?: number;
  /** The services Python may call on the host (default: HOST_SERVICES). */
  hostServices?: readonly HostServiceFactory[];
  /** Settings handed to each host service (e.g. which addresses sockets may reach). */
  hostSettings?: Readonly<Record<string, unknown>>;
}

export type SimState = 'booting' | 'ready' | 'resetting' | 'closed';

/** Reset causes as machine.reset_cause() reports them. */
const PWRON_RESET = 1;
const HARD_RESET = 2;
const SOFT_RESET = 5;

export class SimBoard implements Link {
  readonly name = 'Simulator';
  readonly profile: BoardProfile;
  private current!: BoardWorker;
  /** The host services of the current interpreter life. */
  private router: HostCallRouter | null = null;
  private pending: Uint8Array[] = [];
  private readonly dataListeners = new Listeners<[Uint8Array]>();
  private readonly closeListeners = new Listeners<[Error | null]>();
  private readonly viewListeners = new Listeners<[BoardView]>();
  private readonly stateListeners = new Listeners<[SimState]>();
  private watchdog: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private readonly boardInputs: BoardInputs;
  private _state: SimState = 'booting';
  private _view: BoardView = EMPTY_VIEW;
  /** Counts resets, so a slow reset never boots over a newer one. */
  private generation = 0;

  private constructor(private readonly opts: Required<SimBoardOptions>) {
    this.profile = opts.profile;
    this.boardInputs = new BoardInputs(opts.profile);
  }

  /** Powers the board on. Its banner arrives through onData. */
  static async start(options: SimBoardOptions): Promise<SimBoard> {
    const board = new SimBoard({
      profile: SIM_PICO,
      memoryCap: DEFAULT_MEMORY_CAP,
      interruptGraceMs: 700,
      hostServices: HOST_SERVICES,
      hostSettings: {},
      ...options,
    });
    board.boot(await takeWorker(board.opts.memoryCap), 'power-on', PWRON_RESET);
    return board;
  }

  get state(): SimState {
    return this._state;
  }

  /** Host bytes the interpreter has not read yet (queued here or in its ring); lets a WebREPL server emulate a board's small input buffer. */
  get inputPending(): number {
    const ctl = this.current.ctl;
    const inRing = (Atomics.load(ctl, Ctl.Head) - Atomics.load(ctl, Ctl.Tail)) | 0;
    return this.pending.reduce((n, b) => n + b.length, inRing);
  }

  /** What the board view shows; each life of the interpreter starts from an empty one. */
  get view(): BoardView {
    return this._view;
  }

  get outputs(): Record<number, 0 | 1> {
    return this._view.outputs;
  }

  /** What the user set in the board view; survives resets, as the real switches would. */
  get inputs(): SimInputs {
    return this.boardInputs.current;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this._state === 'closed') throw new Error('the simulated board is closed');
    this.pending.push(data);
    this.pump();
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onClose(listener: (error: Error | null) => void): () => void {
    return this.closeListeners.add(listener);
  }

  /** The board view changed (also after setInput, since the view shows inputs too). */
  onView(listener: (view: BoardView) => void): () => void {
    return this.viewListeners.add(listener);
  }

  /** The GPIO outputs changed or may have: kept for the first board view. */
  onPins(listener: (outputs: Record<number, 0 | 1>) => void): () => void {
    return this.onView((v) => listener(v.outputs));
  }

  onState(listener: (state: SimState) => void): () => void {
    return this.stateListeners.add(listener);
  }

  /** The first onboard button (the one the first board view shows). */
  setButton(pressed: boolean): void {
    const button = this.profile.buttons[0];
    if (button) this.setInput({ kind: 'button', name: button.name, pressed });
  }

  /** A button, switch, slider or sensor value set in the board view. Throws a clear error for one the board lacks. */
  setInput(input: SimInput): void {
    this.boardInputs.set(input);
    wake(this.current.ctl);
    this.viewListeners.emit(this._view);
  }

  /** Like pressing the board's reset button: the worker is terminated and a fresh one boots. */
  async hardReset(): Promise<void> {
    this.reset('power-on', HARD_RESET);
  }

  async close(): Promise<void> {
    if (this._state === 'closed') return;
    this.setState('closed');
    this.clearTimers();
    this.endHostServices();
    await this.current.worker.terminate();
    this.closeListeners.emit(null);
  }

  private boot(bw: BoardWorker, mode: BootMode, resetCause: number): void {
    this.current = bw;
    this.setState('booting');
    this.router = new HostCallRouter(
      this.opts.hostServices,
      { profileId: this.profile.id, settings: this.opts.hostSettings },
      bw.shared.mailbox,
      bw.ctl,
    );
    bw.onMessage = (m) => {
      if (bw === this.current) this.onWorkerMessage(m);
    };
    bw.onError = (e) => {
      if (bw === this.current) this.forcedReset(`the simulator stopped unexpectedly (${e.message})`);
    };
    // A board in use keeps the process alive, as an open serial port does.
    bw.worker.ref();
    this.boardInputs.attach(bw.shared.inputs);
    // A fresh interpreter drives nothing until its program does.
    this.setView(EMPTY_VIEW);
    const msg: HostToWorker = { type: 'boot', mode, resetCause, profile: this.profile, filesDir: this.opts.filesDir };
    bw.worker.postMessage(msg);
  }

  private onWorkerMessage(m: WorkerToHost): void {
    switch (m.type) {
      case 'output':
        this.emitData(m.data);
        break;
      case 'view':
        this.setView(m.view);
        break;
      case 'host-call':
        this.router?.handle(m);
        break;
      case 'interrupt-ack':
        this.clearWatchdog();
        break;
      case 'ready':
        this.setState('ready');
        break;
      case 'reset':
        this.reset(m.mode, m.cause ?? (m.hard ? HARD_RESET : SOFT_RESET));
        if (m.output.length) this.emitData(m.output);
        break;
      case 'out-of-memory':
        this.forcedReset(
          `MemoryError: the program used more than ${Math.round(this.opts.memoryCap / 1048576)} MiB ` +
            `(the simulator frees memory only between commands)`,
        );
        break;
      case 'fatal':
        this.forcedReset(m.message);
        break;
    }
  }

  private emitData(data: Uint8Array): void {
    this.dataListeners.emit(data);
    this.pump();
  }

  // Moves queued host bytes into the worker's ring; the ring is large, so
  // this only waits when a program stops reading stdin entirely.
  private pump(): void {
    // During a reset, bytes wait for the new interpreter (a Ctrl-C sent now
    // must still stop a looping main.py).
    if (this._state === 'resetting') return;
    while (this.pending.length) {
      const head = this.pending[0];
      // The flag goes up before the byte is visible, so the worker, which
      // clears it when it reads the Ctrl-C, can never see them out of order.
      if (head.includes(0x03)) this.interrupt();
      const n = this.current.writer.write(head);
      if (n === head.length) this.pending.shift();
      else {
        this.pending[0] = head.subarray(n);
        this.retry ??= setTimeout(() => {
          this.retry = null;
          this.pump();
        }, 5);
        return;
      }
    }
  }

  private interrupt(): void {
    const bw = this.current;
    Atomics.store(bw.ctl, Ctl.Interrupt, 1);
    wake(bw.ctl);
    if (this.watchdog) return;
    // A program that never sleeps or touches the hardware cannot see Ctrl-C:
    // the only way to stop it is to end its worker, like pressing RESET.
    void bw.loaded.then(() => {
      if (bw !== this.current || this.watchdog || Atomics.load(bw.ctl, Ctl.Interrupt) === 0) return;
      this.watchdog = setTimeout(() => {
        this.watchdog = null;
        if (bw === this.current && Atomics.load(bw.ctl, Ctl.Interrupt) === 1)
          this.forcedReset(
            `the program did not respond to Ctrl-C within ${this.opts.interruptGraceMs} ms ` +
              `(a loop that never sleeps or touches the hardware), so the board was hard-reset; main.py was skipped`,
          );
      }, this.opts.interruptGraceMs);
    });
  }

  private forcedReset(why: string): void {
    if (this._state === 'closed') return;
    this.emitData(Buffer.from(`\r\n[Mote] ${why}.\r\n`));
    this.reset('safe', HARD_RESET);
  }

  private reset(mode: BootMode, cause: number): void {
    if (this._state === 'closed') return;
    this.setState('resetting');
    this.clearWatchdog();
    this.endHostServices();
    const old = this.current;
    void old.worker.terminate();
    const generation = ++this.generation;
    void takeWorker(this.opts.memoryCap).then((bw) => {
      if (this._state === 'closed' || generation !== this.generation) return void bw.worker.terminate();
      this.boot(bw, mode, cause);
      this.pump();
    });
  }

  private setView(v: BoardView): void {
    if (v === this._view) return;
    this._view = v;
    this.viewListeners.emit(v);
  }

  private endHostServices(): void {
    this.router?.dispose();
    this.router = null;
  }

  private setState(s: SimState): void {
    if (this._state === s || this._state === 'closed') return;
    this._state = s;
    this.stateListeners.emit(s);
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private clearTimers(): void {
    this.clearWatchdog();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }
}
