// The connection picker's state: the boards the back end offers (refreshed
// whenever the picker opens) and which one is being connected to.

import type { BoardStatus, BoardTarget, MoteApi } from '../../../main/common/api';
import { SIM_TARGET_ID } from './board-targets';

const SIMULATOR: BoardTarget = { id: SIM_TARGET_ID, label: 'Mote Simulated Pico', kind: 'sim', likely: true, busy: null };

export class ConnectionPicker {
  #targets = $state.raw<BoardTarget[]>([SIMULATOR]);
  #connecting = $state<string | null>(null);

  get targets(): readonly BoardTarget[] {
    return this.#targets;
  }
  /** The target being connected to, while that takes. */
  get connecting(): string | null {
    return this.#connecting;
  }

  async refresh(api: MoteApi): Promise<void> {
    const targets = await api.listTargets();
    this.#targets = targets.length ? targets : [SIMULATOR];
  }

  async connect(api: MoteApi, id: string): Promise<BoardStatus> {
    this.#connecting = id;
    try {
      return await api.connectTarget(id);
    } finally {
      this.#connecting = null;
    }
  }

  /** A board over WebREPL; a saved connection then appears among the targets. */
  async connectWebRepl(api: MoteApi, address: string, password: string, save: boolean): Promise<BoardStatus> {
    this.#connecting = `webrepl:${address}`;
    try {
      return await api.connectWebRepl(address, password, save);
    } finally {
      this.#connecting = null;
    }
  }
}
