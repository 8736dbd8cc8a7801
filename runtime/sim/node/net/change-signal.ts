// Something a blocked board call waits on: a socket or listener fires it on
// every state change, and waiters re-check their condition.

export class ChangeSignal {
  private readonly waiters = new Set<() => void>();

  /** Resolves at the next fire() or after `ms`. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
    });
  }

  fire(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Waits until `ready()` holds or `ms` passes, waking on the signals. */
export async function waitFor(signals: readonly ChangeSignal[], ready: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (ready()) return true;
    const left = deadline - performance.now();
    if (left <= 0 || signals.length === 0) return false;
    await Promise.race(signals.map((s) => s.next(left)));
  }
}
