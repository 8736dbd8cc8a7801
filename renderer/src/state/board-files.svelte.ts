// The files on the board's own filesystem, listed on demand (the board cannot
// announce changes, so the list refreshes after uploads, deletes and resets).

import type { BoardFile, MoteApi, TransferProgress } from '../../../main/common/api';

/** A project file being copied onto the board by drag and drop. */
export interface BoardUpload {
  /** Board path it is written to. */
  boardPath: string;
  progress: TransferProgress | null;
}

/** Drag-and-drop type a project file carries; other drags are ignored by the board panel. */
export const PROJECT_PATH_MIME = 'application/x-mote-project-path';

export class BoardFilesState {
  #files = $state.raw<BoardFile[]>([]);
  #loading = $state(false);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #generation = 0;
  #upload = $state.raw<BoardUpload | null>(null);

  /** The drag-and-drop upload in flight, shown in the panel. */
  get upload(): BoardUpload | null {
    return this.#upload;
  }
  set upload(value: BoardUpload | null) {
    this.#upload = value;
  }

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
