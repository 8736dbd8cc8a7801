// Something a blocked board call waits on: a socket or listener fires it on
// every state change, and waiters re-check their condition.

export class ChangeSignal {
  private readonly listeners = new Set<() => void>();

  on(l: () => void): void {
    this.listeners.add(l);
  }

  off(l: () => void): void {
    this.listeners.delete(l);
  }

  fire(): void {
    for (const l of [...this.listeners]) l();
  }
}

/**
 * Waits until `ready()` holds or `ms` passes, re-checking whenever one of the
 * signals fires. Everything it registered is removed when it ends, so a long
 * wait on many sockets leaves nothing behind, and its timer never keeps the
 * process alive (the board's worker does that).
 */
export function waitFor(signals: readonly ChangeSignal[], ready: () => boolean, ms: number): Promise<boolean> {
  if (ready()) return Promise.resolve(true);
  if (ms <= 0 || signals.length === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (v: boolean) => {
      clearTimeout(timer);
      for (const s of signals) s.off(check);
      resolve(v);
    };
    const check = () => {
      if (ready()) finish(true);
    };
    const timer = setTimeout(() => finish(ready()), ms);
    timer.unref();
    for (const s of signals) s.on(check);
  });
}
