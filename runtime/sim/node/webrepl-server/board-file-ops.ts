// What a board's own WebREPL module does with a file request, done on the
// simulated board: the file is opened, written and read by the running
// interpreter through its raw REPL, so its in-memory filesystem and the host
// folder behind it stay one. Like a board, this happens only when the REPL
// reads input (at a prompt, not while a program runs). The REPL mode the
// client left the board in (friendly or raw) is put back afterwards, and the
// board's output during the request never reaches the client.

import { RAW_PROMPT, RawRepl } from '../../../common/raw-repl.js';
import { LinkReader } from '../../../common/link-reader.js';
import { compactPy } from '../../../common/py-compact.js';
import { pyStr } from '../../../common/py-literal.js';
import { eightBitLiteral } from '../../../common/upload-segments.js';
import type { SimBoard } from '../sim-board.js';

/** Bytes per read on the board during a GET. */
export const READ_SLICE = 768;
/** How long a request may wait for the REPL to read (a program may be running). */
const IDLE_WAIT_MS = 10000;

/** One file request's hold on the board's REPL. */
export class BoardFileSession {
  private constructor(
    private readonly repl: RawRepl,
    private readonly fromFriendly: boolean,
  ) {}

  /** Takes the REPL; rejects if it does not answer (a program that never reads input). */
  static async begin(board: SimBoard): Promise<BoardFileSession> {
    const rx = new LinkReader(board);
    let before: Buffer;
    try {
      // Ctrl-A alone: from the friendly REPL the board answers "\r\n" and the raw
      // banner, from the raw REPL the banner only. That tells us what to restore.
      await board.write(Uint8Array.of(0x01));
      before = await rx.readUntil(RAW_PROMPT, IDLE_WAIT_MS, 'waiting for the board to take a file request (is a program running?)');
    } finally {
      rx.dispose();
    }
    return new BoardFileSession(new RawRepl(board), before.toString('latin1').endsWith('\r\n'));
  }

  /** Opens `name` for writing, truncating it as the board's WebREPL does. */
  async openForWrite(name: string): Promise<void> {
    await this.repl.execChecked(`_mote_wf = open(${pyStr(name)}, 'wb')\n`);
  }

  async write(data: Uint8Array): Promise<void> {
    await this.repl.exec(Buffer.concat([Buffer.from('_mote_wf.write('), eightBitLiteral(data), Buffer.from(')\n')]), { timeoutMs: 60000 });
  }

  async closeWrite(): Promise<void> {
    await this.repl.execChecked('_mote_wf.close()\ndel _mote_wf\n');
  }

  /** Opens `name` for reading; rejects (BoardError) when it cannot be opened. */
  async openForRead(name: string): Promise<void> {
    await this.repl.execChecked(`_mote_rf = open(${pyStr(name)}, 'rb')\n`);
  }

  /**
   * The next `slices` x 768 bytes (fewer at the end of the file), read ahead
   * of the client's requests into one reused buffer: the interpreter frees
   * memory only between commands, so big reads would pile up.
   */
  async read(slices: number): Promise<Buffer> {
    const out = await this.repl.execChecked(
      compactPy(`import binascii
_b = bytearray(${READ_SLICE})
_m = memoryview(_b)
for _i in range(${slices}):
    _n = _mote_rf.readinto(_b)
    if not _n:
        break
    print(binascii.b2a_base64(_m[:_n]).decode(), end='')
del _b, _m, _i, _n
`),
      { timeoutMs: 60000 },
    );
    // One base64 line per slice; the decoder skips the line ends.
    return Buffer.from(out.toString('latin1'), 'base64');
  }

  async closeRead(): Promise<void> {
    await this.repl.execChecked('_mote_rf.close()\ndel _mote_rf\n');
  }

  /** Gives the REPL back in the mode the client left it. */
  async end(): Promise<void> {
    try {
      if (this.fromFriendly) await this.repl.exit();
    } finally {
      this.repl.dispose();
    }
  }
}
