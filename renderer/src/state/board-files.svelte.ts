// The files on the board's own filesystem, listed on demand (the board cannot
// announce changes, so the list refreshes after uploads, deletes and resets).

import type { BoardFile, MoteApi } from '../../../main/common/api';

export class BoardFilesState {
  #files = $state.raw<BoardFile[]>([]);
  #loading = $state(false);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #generation = 0;

  get files(): readonly BoardFile[] {
    return this.#files;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  /** Why the last refresh failed, shown in the panel. */
  get error(): string | null {
    return this.#error;
  }

  async refresh(api: MoteApi): Promise<void> {
    const generation = ++this.#generation;
    this.#loading = true;
    try {
      const files = await api.listBoardFiles();
      if (generation !== this.#generation) return;
      this.#files = [...files].sort((a, b) => a.path.localeCompare(b.path));
      this.#error = null;
      this.#loaded = true;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.#error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      if (generation === this.#generation) this.#loading = false;
    }
  }

  removeLocally(path: string): void {
    this.#files = this.#files.filter((f) => f.path !== path);
  }
}
