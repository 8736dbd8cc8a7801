// Test helpers: a real simulated board driven through the same raw REPL
// client the IDE uses, so tests see exactly what a user's program sees.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoardSession } from '../../common/board-session.js';
import { ByteCollector } from '../../testing/byte-collector.js';
import type { BoardView } from '../common/board-view.js';
import { SimBoard, type SimBoardOptions } from './sim-board.js';

export interface TestBoard {
  board: SimBoard;
  session: BoardSession;
  /** Runs a program in raw mode; returns its output and traceback text. */
  exec(code: string, timeoutMs?: number): Promise<{ out: string; err: string }>;
  /**
   * Starts a program and returns at once: `output` collects what it prints
   * (wait on it), `done` resolves when it ends (stop it with session.stop()).
   */
  start(code: string): { output: ByteCollector; done: Promise<{ out: string; err: string }> };
  /** Ctrl-D at the friendly prompt: a fresh interpreter, as the IDE's soft reset does it. */
  softReset(): Promise<void>;
  /** Resolves with the board view once `cond` holds for it. */
  view(cond: (v: BoardView) => boolean, what: string, timeoutMs?: number): Promise<BoardView>;
  close(): Promise<void>;
}

export async function startTestBoard(opts: Partial<SimBoardOptions> = {}): Promise<TestBoard> {
  const filesDir = opts.filesDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mote-sim-test-'));
  const board = await SimBoard.start({ ...opts, filesDir });
  const session = new BoardSession(board);
  // As the IDE does: a reset ends whatever command was using the line.
  board.onState((s) => s === 'resetting' && session.abortActive(new Error('the board was reset')));
  await new Promise<void>((resolve) => {
    if (board.state === 'ready') return resolve();
    const off = board.onState((s) => s === 'ready' && (off(), resolve()));
  });
  return {
    board,
    session,
    exec: (code, timeoutMs = 10000) =>
      session.exclusive(async (repl) => {
        const r = await repl.exec(code, { timeoutMs });
        return { out: r.stdout.toString('utf8').replace(/\r\n/g, '\n'), err: r.stderr.toString('utf8').replace(/\r\n/g, '\n') };
      }),
    start(code) {
      const output = new ByteCollector({ onData: (l) => session.onTerminal(l) });
      const done = session.run(code).then((r) => {
        if (r.aborted) throw r.aborted;
        return { out: r.stdout.toString('utf8').replace(/\r\n/g, '\n'), err: r.stderr.toString('utf8').replace(/\r\n/g, '\n') };
      });
      return { output, done };
    },
    async softReset() {
      const resetting = waitUntil((l) => board.onState(l), () => board.state === 'resetting', 5000, 'the soft reset');
      await session.softReset();
      await resetting;
      await waitUntil((l) => board.onState(l), () => board.state === 'ready', 5000, 'the board to boot again');
    },
    view: (cond, what, timeoutMs = 3000) =>
      waitUntil((l) => board.onView(l), () => cond(board.view), timeoutMs, what).then(() => board.view),
    close: async () => {
      await board.close();
      if (!opts.filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `cond()` holds after one of the board's events; rejects after `timeoutMs`. */
export function waitUntil(subscribe: (l: () => void) => () => void, cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cond()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const off = subscribe(() => {
      if (!cond()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
