// What the status bar and the board picture show: the board's identity and
// connection state, and the levels of its output pins. Pin events can arrive
// thousands of times a second (a tight blink loop); they are coalesced so the
// UI updates at most once per animation frame and always shows the latest.

import type { BoardStatus, ConnectionState, MoteApi, PinSnapshot } from '../../../main/common/api';
import { DEFAULT_INPUTS, EMPTY_VIEW } from '../../../runtime/sim/common/board-view';

const NO_PINS: PinSnapshot = { ...EMPTY_VIEW, buttonPressed: false, inputs: DEFAULT_INPUTS };

export class BoardState {
  #status = $state.raw<BoardStatus | null>(null);
  #pins = $state.raw<PinSnapshot>(NO_PINS);
  /** Frames drawn from pin events; handy to see coalescing at work. */
  #pinFrames = 0;
  #pendingPins: PinSnapshot | null = null;
  #frame = 0;

  get status(): BoardStatus | null {
    return this.#status;
  }

  get state(): ConnectionState {
    return this.#status?.state ?? 'disconnected';
  }

  get pins(): PinSnapshot {
    return this.#pins;
  }

  get pinFrames(): number {
    return this.#pinFrames;
  }

  /** Loads the current values and follows events; returns the unsubscribe function. */
  connect(api: MoteApi, onError: (what: string, err: unknown) => void): () => void {
    const offStatus = api.on('boardStatus', (s) => {
      this.#status = s;
    });
    const offPins = api.on('pins', (p) => this.#queuePins(p));
    api.getBoardStatus().then(
      (s) => {
        // An event may have arrived first; it is newer than this answer.
        this.#status ??= s;
      },
      (err) => onError('Could not read the board status', err),
    );
    api.getPins().then(
      (p) => {
        if (this.#pinFrames === 0 && !this.#pendingPins) this.#pins = p;
      },
      (err) => onError('Could not read the pins', err),
    );
    return () => {
      offStatus();
      offPins();
      cancelAnimationFrame(this.#frame);
    };
  }

  #queuePins(p: PinSnapshot): void {
    const first = this.#pendingPins === null;
    this.#pendingPins = p;
    if (!first) return;
    this.#frame = requestAnimationFrame(() => {
      const latest = this.#pendingPins;
      this.#pendingPins = null;
      if (latest) {
        this.#pins = latest;
        this.#pinFrames++;
      }
    });
  }
}
