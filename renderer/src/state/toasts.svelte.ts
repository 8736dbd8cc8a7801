// Short messages in the corner: what failed (an API call rejected) or what just
// happened (a file was uploaded). Errors stay until dismissed; info fades.

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  detail?: string;
}

const FADE_MS: Record<ToastKind, number | null> = { info: 4000, success: 3000, error: 12000 };
const MAX_TOASTS = 5;

export class Toasts {
  #items = $state<Toast[]>([]);
  #nextId = 1;

  get items(): readonly Toast[] {
    return this.#items;
  }

  show(kind: ToastKind, title: string, detail?: string): number {
    const id = this.#nextId++;
    this.#items = [...this.#items, { id, kind, title, detail }].slice(-MAX_TOASTS);
    const fade = FADE_MS[kind];
    if (fade !== null) setTimeout(() => this.dismiss(id), fade);
    return id;
  }

  info(title: string, detail?: string): number {
    return this.show('info', title, detail);
  }

  success(title: string, detail?: string): number {
    return this.show('success', title, detail);
  }

  /** Reports a rejected call; `err` is whatever was thrown. */
  error(title: string, err?: unknown): number {
    return this.show('error', title, err === undefined ? undefined : describeError(err));
  }

  dismiss(id: number): void {
    this.#items = this.#items.filter((t) => t.id !== id);
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
