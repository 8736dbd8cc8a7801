// The Sync dialog's state: ask for the plan, show it, apply it with progress,
// cancel. One sync at a time; the dialog is open while phase is not 'closed'.

import type { MoteApi, SyncPlanInfo, TransferProgress } from '../../../main/common/api';

export type SyncPhase = 'closed' | 'planning' | 'preview' | 'applying' | 'done' | 'failed';

export class SyncState {
  #phase = $state<SyncPhase>('closed');
  #plan = $state.raw<SyncPlanInfo | null>(null);
  #progress = $state.raw<TransferProgress | null>(null);
  #error = $state<string | null>(null);
  /** Also delete board files that are not in the project. */
  deleteRemoved = $state(false);
  /** Upload modules as .mpy; the plan depends on it, so changing it plans again. */
  compileMpy = $state(false);

  get phase(): SyncPhase {
    return this.#phase;
  }
  get plan(): SyncPlanInfo | null {
    return this.#plan;
  }
  get progress(): TransferProgress | null {
    return this.#progress;
  }
  get error(): string | null {
    return this.#error;
  }

  async preview(api: MoteApi): Promise<void> {
    this.#phase = 'planning';
    this.#plan = null;
    this.#error = null;
    try {
      this.#plan = await api.syncPreview({ compileMpy: this.compileMpy });
      this.#phase = 'preview';
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Resolves true when the board now matches the project. */
  async apply(api: MoteApi): Promise<boolean> {
    this.#phase = 'applying';
    this.#progress = null;
    const off = api.on('transferProgress', (p) => (this.#progress = p));
    try {
      this.#plan = await api.syncApply({ deleteRemoved: this.deleteRemoved, compileMpy: this.compileMpy });
      this.#phase = 'done';
      return true;
    } catch (err) {
      this.#fail(err);
      return false;
    } finally {
      off();
    }
  }

  async cancel(api: MoteApi): Promise<void> {
    await api.cancelTransfer();
  }

  close(): void {
    this.#phase = 'closed';
  }

  #fail(err: unknown): void {
    this.#error = err instanceof Error ? err.message : String(err);
    this.#phase = 'failed';
  }
}
