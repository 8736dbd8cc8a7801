// Typing into the terminal of a board whose REPL input goes through a small
// ring with no flow control (WebREPL: about 256 bytes on an ESP board). Keys
// come a few at a time and never fill it, but a paste of a few kilobytes
// arrives at once and the board silently drops what overflows.
//
// The friendly REPL echoes what it reads, so the echo is the clock: a slice
// leaves only while the bytes sent but not yet answered fit the ring. Echo
// is not one byte per byte (auto-indent adds some, a bare "\n" shows none),
// so when the board stays quiet for a moment it is taken to have read
// everything; a board running a program that reads no input is the one case
// this cannot help, as on the board itself.

import type { Link } from './link.js';

/** Silence after which the board is assumed to have read all that was sent. */
const QUIET_MS = 400;

/** Sends `data` in slices; stops early, quietly, when `signal` aborts (the user pressed Ctrl-C). */
export async function pasteInSlices(link: Link, data: Uint8Array, ringBytes: number, signal?: AbortSignal, quietMs = QUIET_MS): Promise<void> {
  const slice = Math.max(1, Math.floor(ringBytes / 2));
  let sent = 0;
  let answered = 0;
  let wake: (() => void) | null = null;
  const off = link.onData((d) => {
    answered += d.length;
    wake?.();
  });
  try {
    while (sent < data.length && !signal?.aborted) {
      const part = data.subarray(sent, sent + slice);
      while (sent - answered + part.length > ringBytes) {
        const heard = await new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), quietMs);
          wake = () => {
            clearTimeout(t);
            resolve(true);
          };
        });
        wake = null;
        if (!heard) answered = Math.max(answered, sent);
      }
      if (signal?.aborted) break;
      await link.write(part);
      sent += part.length;
    }
  } finally {
    off();
  }
}
