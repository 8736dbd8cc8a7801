// Adaptive pacing for plain raw mode, for boards whose REPL input goes
// through a small ring with no flow control (WebREPL: raw-paste's binary
// window bytes do not survive text frames, and an ESP board's input ring
// holds about 256 bytes).
//
// Other tools pace with fixed sleeps: 255 bytes, wait 10 ms, repeat. That is
// too slow for a fast board and still loses bytes when the board is busier
// than the sleep assumed (Wi-Fi retries, a GC pause). Here the board's own
// answer is the clock: a program that fits one block is sent as one exec; a
// longer one is cut into blocks, each sent as a tiny exec that appends its
// piece to a list on the board, and the next block leaves only after the
// board's "OK ... \x04\x04>" says it consumed the previous one. No more than
// one block is ever in flight, so nothing can overflow; a fast board goes as
// fast as its round trips. A last exec joins the pieces, compiles them as
// "<stdin>" (so tracebacks name the user's own lines) and runs them; its
// output streams as any exec's.

import type { Link } from '../link.js';
import type { LinkReader } from '../link-reader.js';
import { pyBytes } from '../py-literal.js';
import { BoardError } from '../raw-repl.js';

const CTRL_D = 0x04;
const FIRST = '_mote_p=[';
const NEXT = '_mote_p.append(';
// compile() is optional in MicroPython builds; exec() of the bytes is not.
const RUNNER = `_mote_c=b''.join(_mote_p)
del _mote_p
try:
 _mote_c=compile(_mote_c,'<stdin>','exec')
except NameError:
 pass
exec(_mote_c)
`;

/** Wire bytes of one source byte inside pyBytes(). */
function escapedSize(c: number): number {
  if (c === 0x5c || c === 0x27) return 2;
  return c >= 0x20 && c < 0x7f ? 1 : 4;
}

/** Cuts `src` into stash execs of at most `block` bytes each (Ctrl-D included). */
export function stashBlocks(src: Uint8Array, block: number): Buffer[] {
  const overhead = Math.max(FIRST.length, NEXT.length) + 3 /* b'' */ + 1 /* ) or ] */ + 1 /* \x04 */;
  const room = block - overhead;
  if (room < 4) throw new Error(`an input block of ${block} bytes is too small to carry a program`);
  const out: Buffer[] = [];
  let start = 0;
  while (start < src.length) {
    let used = 0;
    let end = start;
    while (end < src.length && used + escapedSize(src[end]) <= room) used += escapedSize(src[end++]);
    const lit = pyBytes(src.subarray(start, end));
    out.push(Buffer.from(out.length === 0 ? `${FIRST}${lit}]` : `${NEXT}${lit})`, 'latin1'));
    start = end;
  }
  return out;
}

/**
 * Sends `src` at the raw prompt so that it ends with the program submitted
 * (Ctrl-D sent, "OK" read), exactly as a plain raw exec would.
 */
export async function sendInBlocks(link: Link, reader: LinkReader, src: Buffer, deadline: number, block: number): Promise<void> {
  const left = () => Math.max(1000, deadline - Date.now());
  if (src.length + 1 <= block) {
    await link.write(Buffer.concat([src, Uint8Array.of(CTRL_D)]));
    await reader.readUntil('OK', left(), 'waiting for the raw REPL to accept the program');
    return;
  }
  for (const piece of stashBlocks(src, block)) {
    await link.write(Buffer.concat([piece, Uint8Array.of(CTRL_D)]));
    await reader.readUntil('OK', left(), 'waiting for the board to take a block of the program');
    await reader.streamUntil(CTRL_D, undefined, deadline, 'waiting for the board to store a block');
    const err = await reader.streamUntil(CTRL_D, undefined, deadline, 'waiting for the board to store a block');
    await reader.readUntil('>', left(), 'waiting for the raw prompt between blocks');
    if (err.length) {
      const tb = err.toString('utf8');
      throw new BoardError(tb.trim().split(/\r?\n/).pop() ?? tb, tb);
    }
  }
  await link.write(Buffer.from(RUNNER + '\x04', 'latin1'));
  await reader.readUntil('OK', left(), 'waiting for the raw REPL to accept the program');
}
