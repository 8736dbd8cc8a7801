// The one generic client-side proxy for `MoteApi`. The Electron preload and the
// browser-mode WebSocket client differ only in how a call travels and where
// events come from; both build their `MoteApi` here, so neither hand-writes a
// method per feature and a new API method needs no change in either.

import { API_METHODS, type MoteApi, type MoteEventName, type MoteEvents, type MoteMethod } from './api.js';

/** Sends one already-named call and resolves with the back end's return value. */
export type CallTransport = (method: MoteMethod, args: unknown[]) => Promise<unknown>;

export function createApiProxy(call: CallTransport, on: MoteApi['on']): MoteApi {
  const api: Record<string, unknown> = { on };
  for (const method of API_METHODS) {
    api[method] = (...args: unknown[]) => call(method, args);
  }
  // The loop above fills every key of MoteMethod (API_METHODS is derived from a
  // Record<MoteMethod, …>), which the type checker cannot follow through a loop.
  return api as unknown as MoteApi;
}

type AnyListener = (payload: never) => void;

/** Listener sets per event. A throwing listener is reported and does not stop the others. */
export class EventListeners {
  readonly #listeners = new Map<MoteEventName, Set<AnyListener>>();

  on<E extends MoteEventName>(event: E, listener: (payload: MoteEvents[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as AnyListener);
    return () => {
      set.delete(listener as AnyListener);
    };
  }

  emit<E extends MoteEventName>(event: E, payload: MoteEvents[E]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (p: MoteEvents[E]) => void)(payload);
      } catch (err) {
        console.error(`Mote: a "${event}" listener threw`, err);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
