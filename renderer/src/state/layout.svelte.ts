// Pane sizes, dragged by the splitters and remembered between launches.

const STORAGE_KEY = 'mote.layout.v1';

interface Sizes {
  sidebar: number;
  board: number;
  terminal: number;
}

const DEFAULTS: Sizes = { sidebar: 240, board: 340, terminal: 230 };
const LIMITS: Record<keyof Sizes, [number, number]> = {
  sidebar: [160, 480],
  board: [220, 640],
  terminal: [90, 900],
};

export class Layout {
  #sizes = $state<Sizes>(load());

  get sidebar(): number {
    return this.#sizes.sidebar;
  }
  get board(): number {
    return this.#sizes.board;
  }
  get terminal(): number {
    return this.#sizes.terminal;
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
