// Waits for a freshly booted MicroPython's banner on a link.

import type { Link } from '../../common/link.js';
import { cancelled } from '../flash-errors.js';

const BANNER = /MicroPython [^\r\n]+/;

/** The banner line, or null if the prompt came without one (or nothing came in time). */
export function waitForBanner(link: Link, timeoutMs: number, signal?: AbortSignal): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (v: string | null, err?: Error) => {
      clearTimeout(timer);
      off();
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(v);
    };
    const onAbort = () => finish(null, cancelled());
    const off = link.onData((d) => {
      text += Buffer.from(d).toString('latin1');
      if (text.includes('>>> ')) finish(BANNER.exec(text)?.[0] ?? null);
    });
    const timer = setTimeout(() => finish(BANNER.exec(text)?.[0] ?? null), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
