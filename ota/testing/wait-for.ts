// Waits until a condition holds, re-checking only when something happened
// (an event fired), never on a fixed sleep. Times out with what was awaited.

export type Subscribe = (cb: () => void) => () => void;

export function waitFor(what: string, cond: () => boolean, sources: Subscribe[], timeoutMs = 20_000): Promise<void> {
  if (cond()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = [];
    const done = (e?: Error) => {
      clearTimeout(timer);
      for (const off of offs) off();
      if (e) reject(e);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    const check = () => {
      try {
        if (cond()) done();
      } catch (e) {
        done(e as Error);
      }
    };
    for (const s of sources) offs.push(s(check));
  });
}
