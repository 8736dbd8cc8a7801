// Sends the board view to the host when something in it changed, at most
// about 60 times a second, so a program toggling a pin in a tight loop does
// not flood the host with messages.

import { EMPTY_VIEW, type BoardView } from '../common/board-view.js';

const MIN_INTERVAL_MS = 16;

export class ViewPoster {
  private dirty = false;
  private lastPost = -Infinity;

  constructor(
    private readonly build: () => BoardView,
    private readonly post: (view: BoardView) => void,
  ) {}

  markDirty(): void {
    this.dirty = true;
    this.flush();
  }

  /** Posts if due; returns ms until a pending change may be posted (Infinity if none). */
  flush(force = false): number {
    if (!this.dirty) return Infinity;
    const wait = this.lastPost + MIN_INTERVAL_MS - performance.now();
    if (wait > 0 && !force) return wait;
    this.dirty = false;
    this.lastPost = performance.now();
    this.post(this.build());
    return Infinity;
  }
}

export function emptyView(): BoardView {
  return { ...EMPTY_VIEW, outputs: {}, pwm: {}, servos: [], strips: [], displays: [] };
}
