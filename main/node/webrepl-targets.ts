// WebREPL boards in the back end's list of targets: the connections the user
// saved (their passwords in the SecretStore, never in settings or logs), and
// the password of one connected without saving, kept in memory only.

import { webReplUrl } from '../../runtime/node/webrepl-link.js';
import type { BoardTarget } from '../common/api.js';
import type { SecretStore } from './secrets/secret-store.js';
import { WEBREPL_PREFIX, WebReplBoard } from './webrepl-board.js';

export class WebReplTargets {
  private readonly unsaved = new Map<string, string>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly reconnectMs?: number,
  ) {}

  /**
   * Connects with `connect(id)` using this password; only a password that
   * worked is saved (when asked), and it replaces the saved one.
   */
  async connect<T>(address: string, password: string, save: boolean, connect: (id: string) => Promise<T>): Promise<T> {
    const url = webReplUrl(address);
    const id = WEBREPL_PREFIX + url;
    const before = this.unsaved.get(url);
    this.unsaved.set(url, password);
    try {
      const r = await connect(id);
      if (save) {
        this.secrets.set(id, password);
        this.unsaved.delete(url);
      }
      return r;
    } catch (e) {
      if (before === undefined) this.unsaved.delete(url);
      else this.unsaved.set(url, before);
      throw e;
    }
  }

  list(): BoardTarget[] {
    return this.secrets
      .keys()
      .filter((k) => k.startsWith(WEBREPL_PREFIX))
      .map((id) => ({ id, label: `WebREPL ${id.slice(WEBREPL_PREFIX.length)}`, kind: 'webrepl', likely: true, busy: null }));
  }

  open(id: string): Promise<WebReplBoard> {
    const url = id.slice(WEBREPL_PREFIX.length);
    const password = this.unsaved.get(url) ?? this.secrets.get(id);
    if (password === null || password === undefined) {
      return Promise.reject(new Error(`no password is known for ${url}: connect through "WebREPL (Wi-Fi)..." and enter it`));
    }
    return WebReplBoard.open(url, password, { reconnectMs: this.reconnectMs });
  }
}
