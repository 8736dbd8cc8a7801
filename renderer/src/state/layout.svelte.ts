// Pane sizes, dragged by the splitters and remembered between launches.

import { loadFlag, saveFlag } from './stored-flag';

const STORAGE_KEY = 'mote.layout.v1';

interface Sizes {
  sidebar: number;
  board: number;
  terminal: number;
  /** Width of the plotter beside the terminal. */
  plotter: number;
}

const DEFAULTS: Sizes = { sidebar: 240, board: 340, terminal: 230, plotter: 460 };
const LIMITS: Record<keyof Sizes, [number, number]> = {
  sidebar: [160, 480],
  board: [220, 640],
  terminal: [90, 900],
  plotter: [220, 1400],
};
const PLOTTER_KEY = 'mote.plotter.open';

export class Layout {
  #sizes = $state<Sizes>(load());
  #plotterOpen = $state(loadFlag(PLOTTER_KEY));

  get sidebar(): number {
    return this.#sizes.sidebar;
  }
  get board(): number {
    return this.#sizes.board;
  }
  get terminal(): number {
    return this.#sizes.terminal;
  }
  get plotter(): number {
    return this.#sizes.plotter;
  }
  get plotterOpen(): boolean {
    return this.#plotterOpen;
  }

  setPlotterOpen(open: boolean): void {
    this.#plotterOpen = open;
    saveFlag(PLOTTER_KEY, open);
  }

  resize(pane: keyof Sizes, delta: number): void {
    const [min, max] = LIMITS[pane];
    this.#sizes[pane] = Math.round(Math.min(max, Math.max(min, this.#sizes[pane] + delta)));
  }

  persist(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.#sizes));
    } catch {
      // Storage may be unavailable (private mode); sizes then last one session.
    }
  }
}

function load(): Sizes {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Sizes> | null;
    if (!raw || typeof raw !== 'object') return { ...DEFAULTS };
    const sizes = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof Sizes)[]) {
      const v = raw[key];
      const [min, max] = LIMITS[key];
      if (typeof v === 'number' && Number.isFinite(v)) sizes[key] = Math.min(max, Math.max(min, v));
    }
    return sizes;
  } catch {
    return { ...DEFAULTS };
  }
}
