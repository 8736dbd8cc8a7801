// Writes MicroPython onto an ESP8266 / ESP32-family board with esptool-js:
// detect the chip, refuse a wrong image, optionally erase, write at the
// chip's offset, verify by MD5, hard reset, then reach the new MicroPython.
//
// The ESP32 family is flashed by its ROM bootloader directly (esptool's
// --no-stub): the ROM has compressed writes, MD5 and baud changes, and this
// needs no code uploaded to the chip's RAM (which the simulated ESP32 could
// not run). The ESP8266 ROM lacks compressed writes and MD5, so there the
// esptool stub flasher is loaded first.

import { createHash } from 'node:crypto';
import { ESPLoader, Transport, type IEspLoaderTerminal } from 'esptool-js';
import { connectBoard, resetBySignals } from '../../common/board-connect.js';
import type { BoardInfo } from '../../common/board-identify.js';
import { PortBusyError } from '../../node/serial-link.js';
import { FlashError, cancelled } from '../flash-errors.js';
import type { FlashPhase, FlashProgress, OnFlashProgress } from '../progress.js';
import { checkEspImage, checkImageForChip, chipFacts } from './esp-image.js';
import { NodeWebSerialPort } from './node-web-serial.js';
import { waitForBanner } from './wait-banner.js';

export interface EspFlashOptions {
  port: string;
  image: Uint8Array;
  /** Erase the whole flash first (also removes the board's files). */
  erase?: boolean;
  /** Speed for the data, after syncing at the ROM's 115200 (default 460800). */
  baud?: number;
  /** Deflate the image on the wire (default true). */
  compress?: boolean;
  /** Flash size in bytes, for a full erase without the stub (default 4 MiB). */
  flashSize?: number;
  /** Connection attempts (each tries two reset timings); default 3. */
  attempts?: number;
  /** Reach the new MicroPython afterwards (default true). */
  connectAfter?: boolean;
  usbVendorId?: number;
  usbProductId?: number;
  signal?: AbortSignal;
  onProgress?: OnFlashProgress;
}

export interface EspFlashResult {
  chip: string;
  offset: number;
  bytes: number;
  /** MD5 of what was written, as the chip computed it (equal to the file's). */
  md5: string;
  /** Seconds spent sending the image. */
  writeSeconds: number;
  /** Bytes that crossed the wire both ways during the whole flash. */
  wireBytes: number;
  /** The new firmware's banner line, e.g. "MicroPython v1.27.0 on ...". */
  banner: string | null;
  info: BoardInfo | null;
}

const ROM_BAUD = 115200;
const DEFAULT_BAUD = 460800;
/** esptool's block size for the ROM loader; the stub takes 16 KiB. */
const ROM_FLASH_WRITE_SIZE = 0x400;

const quietTerminal = (log: (s: string) => void): IEspLoaderTerminal => ({ clean: () => undefined, write: () => undefined, writeLine: log });

export async function flashEsp(opts: EspFlashOptions): Promise<EspFlashResult> {
  checkEspImage(opts.image);
  const report = opts.onProgress ?? (() => undefined);
  // esptool's own log lines are passed on under whatever step is under way.
  let current: FlashPhase = 'connecting';
  const progress = (p: FlashProgress) => {
    current = p.phase;
    report(p);
  };
  const signal = opts.signal;
  if (signal?.aborted) throw cancelled();
  const port = new NodeWebSerialPort({ path: opts.port, usbVendorId: opts.usbVendorId, usbProductId: opts.usbProductId });
  // esptool-js has no cancel of its own: closing the port fails its pending read or write.
  const onAbort = () => void port.close().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  const transport = new Transport(port as unknown as ConstructorParameters<typeof Transport>[0], false);
  // Transport prints some trace lines to the console even with tracing off.
  transport.trace = () => undefined;
  // esptool-js would notice a closed port only after its timeouts and retries:
  // a cancel or a lost port ends the flash at once instead.
  let stopListening = () => {};
  const stop = new Promise<never>((_, reject) => {
    const onCancel = () => reject(cancelled());
    signal?.addEventListener('abort', onCancel, { once: true });
    const offLost = port.onLost((e) => reject(e));
    stopListening = () => {
      signal?.removeEventListener('abort', onCancel);
      offLost();
    };
  });
  stop.catch(() => undefined);
  const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, stop]);
  const loader = new ESPLoader({
    transport,
    baudrate: opts.baud ?? DEFAULT_BAUD,
    romBaudrate: ROM_BAUD,
    terminal: quietTerminal((s) => {
      const line = s.trim();
      if (line) report({ phase: current, message: line });
    }),
  });
  let written = 0;
  let total = 0;
  let phase: 'connect' | 'write' | 'after' = 'connect';
  try {
    progress({ phase: 'connecting', message: `${opts.port}: resetting into the bootloader` });
    try {
      await guard(loader.connect('default_reset', opts.attempts ?? 3));
    } catch (e) {
      if (e instanceof PortBusyError) throw new FlashError('port-busy', e.message);
      if (signal?.aborted) throw cancelled();
      if (/Failed to connect|Timeout|sync/i.test((e as Error).message))
        throw new FlashError(
          'no-bootloader',
          `no answer from the ESP bootloader on ${opts.port}. Hold the BOOT button, press and release EN/RESET, release BOOT, and try again (boards without auto-reset need this every time).`,
        );
      throw e;
    }
    const chip = chipFacts(loader.chip.CHIP_NAME);
    progress({ phase: 'detecting', message: `${chip.name} detected` });
    checkImageForChip(opts.image, chip);
    if (chip.name === 'ESP8266') await guard(loader.runStub());
    else loader.FLASH_WRITE_SIZE = ROM_FLASH_WRITE_SIZE;
    if ((opts.baud ?? DEFAULT_BAUD) !== ROM_BAUD) await guard(loader.changeBaud());
    if (signal?.aborted) throw cancelled();

    if (opts.erase) {
      progress({ phase: 'erasing', message: 'erasing the whole flash' });
      if (loader.IS_STUB) await guard(loader.eraseFlash());
      // The ROM has no chip erase; FLASH_BEGIN erases the region it is given.
      else await guard(loader.flashBegin(opts.flashSize ?? 4 * 1024 * 1024, 0));
    }

    phase = 'write';
    // What esptool-js writes: the image padded to whole 4-byte words with 0xFF.
    const padded = padTo4(opts.image);
    const fileMd5 = createHash('md5').update(padded).digest('hex');
    const started = performance.now();
    let writeSeconds = 0;
    await guard(loader.writeFlash({
      fileArray: [{ data: opts.image, address: chip.offset }],
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: opts.compress ?? true,
      reportProgress: (_i, done, all) => {
        written = done;
        total = all;
        progress({ phase: 'writing', done, total: all });
        if (done === all) {
          writeSeconds = (performance.now() - started) / 1000;
          progress({ phase: 'verifying', message: 'checking the MD5 of the written flash' });
        }
      },
    }));

    // Verified here rather than by writeFlash's own MD5 option: esptool-js
    // 0.7 hex-encodes the ROM's answer, which is already 32 ASCII hex digits
    // (the stub sends 16 raw bytes), so its own check fails against a ROM.
    const chipMd5 = romMd5Text(await guard(loader.flashMd5sum(chip.offset, padded.length)));
    if (chipMd5 !== fileMd5)
      throw new FlashError('verify-failed', `the flash read back differs from the image (MD5 ${chipMd5}, expected ${fileMd5}): try again, perhaps at a lower baud rate`);

    phase = 'after';
    progress({ phase: 'resetting', message: 'hard reset' });
    // esptool-js 0.7's HardReset only releases RTS (it never pulls EN low
    // first), so the reset pulse is made here; MicroPython then talks at 115200.
    await port.setBaudRate(ROM_BAUD);
    await resetBySignals((dtr, rts) => port.setSignals({ dataTerminalReady: dtr, requestToSend: rts }));
    const wireBytes = port.bytesIn + port.bytesOut;
    const result: EspFlashResult = { chip: chip.name, offset: chip.offset, bytes: opts.image.length, md5: fileMd5, writeSeconds, wireBytes, banner: null, info: null };
    if (opts.connectAfter === false) {
      await port.close();
      return result;
    }
    progress({ phase: 'booting', message: 'waiting for MicroPython' });
    const link = port.detach();
    try {
      result.banner = await waitForBanner(link, 8000, signal);
      const conn = await connectBoard(link, { identify: true, hardReset: null, budgetMs: 6000 });
      result.info = conn.info;
    } finally {
      await link.close();
    }
    progress({ phase: 'done', message: result.banner ?? 'flashed' });
    return result;
  } catch (e) {
    await port.close().catch(() => undefined);
    if (e instanceof FlashError) throw e;
    if (signal?.aborted) throw cancelled();
    const msg = (e as Error).message;
    if (phase === 'write')
      throw new FlashError(
        'interrupted',
        `flashing stopped at ${written} of ${total} bytes (${msg}). The board has no complete firmware now: reconnect it, hold BOOT if needed, and flash again.`,
      );
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stopListening();
  }
}

/** The stub's 16 raw bytes come back as 32 hex digits; the ROM's 32 ASCII digits as 64. */
function romMd5Text(hex: string): string {
  return hex.length === 64 ? Buffer.from(hex, 'hex').toString('ascii').toLowerCase() : hex.toLowerCase();
}

function padTo4(b: Uint8Array): Uint8Array {
  if (b.length % 4 === 0) return b;
  const out = new Uint8Array(b.length + (4 - (b.length % 4))).fill(0xff);
  out.set(b);
  return out;
}
