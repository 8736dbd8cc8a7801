// Writes MicroPython onto an rp2 board (Pico, Pico W, Pico 2): ask the
// running MicroPython for BOOTSEL, find the UF2 drive, check the file's
// family against the drive's Board-ID, copy, and wait for the USB serial
// port of the new MicroPython.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { connectBoard } from '../../common/board-connect.js';
import { SerialLink } from '../../node/serial-link.js';
import { FlashError, cancelled } from '../flash-errors.js';
import type { OnFlashProgress } from '../progress.js';
import { waitForBanner } from '../esp/wait-banner.js';
import { checkUf2ForBoard, readUf2 } from './uf2-file.js';
import { defaultMountRoots, findUf2Drives, waitForUf2Drive, type Uf2Drive } from './uf2-drive.js';

export interface Uf2FlashOptions {
  image: Uint8Array;
  /** MicroPython's serial port, to ask for BOOTSEL; absent when the board is already in BOOTSEL mode. */
  port?: string;
  /** Where drives are mounted (default: the desktop's usual places). */
  mountRoots?: readonly string[];
  /** How long to wait for the drive, and for the port to come back. */
  timeoutMs?: number;
  /** Wait for MicroPython's port at this path after copying (default: `port`); null: do not wait. */
  returnPort?: string | null;
  signal?: AbortSignal;
  onProgress?: OnFlashProgress;
}

export interface Uf2FlashResult {
  chip: string;
  drive: Uf2Drive;
  bytes: number;
  banner: string | null;
}

/** Copy slice: big enough to be quick, small enough for a smooth progress bar. */
const SLICE = 64 * 1024;

export async function flashUf2(opts: Uf2FlashOptions): Promise<Uf2FlashResult> {
  const summary = readUf2(opts.image);
  const roots = opts.mountRoots ?? defaultMountRoots();
  const timeoutMs = opts.timeoutMs ?? 20000;
  const progress = opts.onProgress ?? (() => undefined);
  const signal = opts.signal;

  let drive = findUf2Drives(roots)[0];
  if (!drive) {
    if (!opts.port) throw new FlashError('no-drive', 'no UF2 drive is mounted: hold BOOTSEL while plugging the board in, or give the port MicroPython runs on');
    progress({ phase: 'connecting', message: `${opts.port}: asking MicroPython for BOOTSEL mode` });
    await enterBootsel(opts.port);
    drive = await waitForUf2Drive(roots, timeoutMs, signal);
  }
  progress({ phase: 'detecting', message: `UF2 drive ${drive.dir} (${drive.boardId})` });
  const chip = checkUf2ForBoard(summary, drive.boardId);

  const target = path.join(drive.dir, 'firmware.uf2');
  const fd = fs.openSync(target, 'w');
  try {
    for (let off = 0; off < opts.image.length; off += SLICE) {
      if (signal?.aborted) throw cancelled();
      const n = Math.min(SLICE, opts.image.length - off);
      await new Promise<void>((res, rej) => fs.write(fd, opts.image, off, n, off, (e) => (e ? rej(e) : res())));
      progress({ phase: 'copying', done: off + n, total: opts.image.length });
    }
    // The board reboots once its last block lands; make sure the OS has sent it.
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }

  const back = opts.returnPort === undefined ? opts.port : opts.returnPort;
  let banner: string | null = null;
  if (back) {
    progress({ phase: 'booting', message: `waiting for MicroPython on ${back}` });
    banner = await waitForPortBanner(back, timeoutMs, signal);
  }
  progress({ phase: 'done', message: banner ?? 'copied' });
  return { chip, drive, bytes: opts.image.length, banner };
}

/** machine.bootloader() through the raw REPL; the board drops off USB before answering. */
async function enterBootsel(port: string): Promise<void> {
  const link = await SerialLink.open({ path: port });
  try {
    await connectBoard(link, { identify: false, stayRaw: true, hardReset: null, budgetMs: 6000 });
    await link.write(Buffer.from('import machine\nmachine.bootloader()\x04'));
  } finally {
    await link.close().catch(() => undefined);
  }
}

/**
 * The port reappears when the new MicroPython enumerates. Serial ports give
 * no hot-plug event here, so the path is checked for existence on a short
 * interval until the deadline; then the banner is read after a soft reboot.
 */
async function waitForPortBanner(port: string, timeoutMs: number, signal?: AbortSignal): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw cancelled();
    if (fs.existsSync(port)) {
      try {
        const link = await SerialLink.open({ path: port });
        try {
          const banner = waitForBanner(link, Math.max(1000, deadline - Date.now()), signal);
          // Ctrl-B on an idle friendly REPL reprints the banner; Ctrl-C first stops a main.py.
          await link.write(Buffer.from('\r\x03\x02'));
          return await banner;
        } finally {
          await link.close();
        }
      } catch (e) {
        if (e instanceof FlashError) throw e;
        // still enumerating (EBUSY, EIO): try again
      }
    }
    if (Date.now() > deadline) throw new FlashError('no-drive', `MicroPython did not come back on ${port} within ${Math.round(timeoutMs / 1000)} s; unplug and replug the board`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
