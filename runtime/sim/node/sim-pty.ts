// Serves a simulated board on a pseudo-terminal, so any serial tool
// (picocom, mpremote, Mote's own client) can use it like a USB board.
// socat makes the pty pair; we hold one end, the user's tool opens the other.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BytePacer } from '../../node/byte-pacer.js';
import type { Link } from '../../common/link.js';
import { SerialLink } from '../../node/serial-link.js';
import { SimBoard, type SimBoardOptions } from './sim-board.js';

export interface SimPtyOptions extends SimBoardOptions {
  /** Where the board's pty appears (a symlink to /dev/pts/N). */
  ptyPath: string;
  /** Emulated line speed in both directions; 0 or absent = as fast as possible. */
  baud?: number;
  /**
   * What sits between the wire and the board (default: the board itself);
   * the simulated ESP ROM bootloader takes the wire while in download mode.
   */
  front?: (board: SimBoard) => Pick<Link, 'write' | 'onData'>;
}

export interface SimPtyServer {
  board: SimBoard;
  ptyPath: string;
  close(): Promise<void>;
}

export async function serveSimOnPty(opts: SimPtyOptions): Promise<SimPtyServer> {
  const innerPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mote-pty-')), 'board-side');
  const board = await SimBoard.start(opts);
  const wire = opts.front ? opts.front(board) : board;
  let closing = false;
  let socat: ChildProcess | null = null;
  let inner: SerialLink | null = null;
  const toHost = opts.baud ? new BytePacer(opts.baud, (b) => void inner?.write(b).catch(() => undefined)) : null;
  const toBoard = opts.baud ? new BytePacer(opts.baud, (b) => void wire.write(b).catch(() => undefined)) : null;

  wire.onData((d) => {
    if (toHost) toHost.push(d);
    else void inner?.write(d).catch(() => undefined);
  });

  // socat ends when the user's tool closes its side; start it again so the
  // board stays reachable, as a plugged-in board does.
  const start = async (): Promise<void> => {
    for (const p of [opts.ptyPath, innerPath]) fs.rmSync(p, { force: true });
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${opts.ptyPath}`, `pty,raw,echo=0,link=${innerPath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    socat = child;
    await new Promise<void>((resolve, reject) => {
      let log = '';
      child.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('starting data transfer loop')) resolve();
      });
      child.once('error', (e) => reject(new Error(`cannot start socat (install it, e.g. apt install socat): ${e.message}`)));
      child.once('exit', (code) => reject(new Error(`socat exited (${code}): ${log.trim()}`)));
    });
    inner = await SerialLink.open({ path: innerPath });
    inner.onData((d) => {
      if (toBoard) toBoard.push(d);
      else void wire.write(d).catch(() => undefined);
    });
    child.once('exit', () => {
      const old = inner;
      inner = null;
      void old?.close().catch(() => undefined);
      if (!closing) void start().catch(() => undefined);
    });
  };
  await start();

  return {
    board,
    ptyPath: opts.ptyPath,
    async close() {
      closing = true;
      toHost?.dispose();
      toBoard?.dispose();
      await inner?.close().catch(() => undefined);
      socat?.kill();
      await board.close();
      fs.rmSync(path.dirname(innerPath), { recursive: true, force: true });
      fs.rmSync(opts.ptyPath, { force: true });
    },
  };
}
