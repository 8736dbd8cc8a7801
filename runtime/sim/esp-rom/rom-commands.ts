// The ESP32 ROM bootloader's serial command set, as the simulated board
// answers it. Request: 00 op len(u16) checksum(u32) data. Response:
// 01 op len(u16) value(u32) data, where data ends in the ROM's status bytes
// (ESP32 ROM: status, error, 0, 0; status 0 = OK).

import { createInflate, constants as zc, type Inflate } from 'node:zlib';
import type { FlashStore } from './flash-store.js';

export const OP = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
  SYNC: 0x08,
} as const;

/** ROM error codes (second status byte). */
export const ROM_ERR = { INVALID_MESSAGE: 0x05, FAILED: 0x06, BAD_CHECKSUM: 0x07, FLASH_WRITE: 0x08, DEFLATE: 0x0b } as const;

/** Where esptool reads the chip's identity, and the ESP32's value there. */
export const CHIP_DETECT_MAGIC_REG = 0x40001000;
export const ESP32_MAGIC = 0x00f01d83;
const CHECKSUM_SEED = 0xef;

export interface RomEvents {
  /** FLASH_END / FLASH_DEFL_END asked to run the application. */
  runApp(): void;
  changeBaud(baud: number): void;
}

class RomError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

interface Download {
  offset: number;
  eraseSize: number;
  blockSize: number;
  blocks: number;
  nextSeq: number;
  written: number;
  inflate: Inflate | null;
}

export class RomCommands {
  private download: Download | null = null;
  /** Commands the ROM took, for tests and the bench (e.g. how many FLASH_DATA blocks). */
  readonly counts = new Map<number, number>();

  constructor(
    private readonly flash: FlashStore,
    private readonly events: RomEvents,
  ) {}

  /** Handles one decoded request; returns the response packets (SYNC answers eight times, like the ROM). */
  async handle(req: Uint8Array): Promise<Uint8Array[]> {
    if (req.length < 8 || req[0] !== 0x00) return [];
    const op = req[1];
    const view = new DataView(req.buffer, req.byteOffset, req.byteLength);
    const len = view.getUint16(2, true);
    const chk = view.getUint32(4, true);
    const data = req.subarray(8, 8 + len);
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
    const word = (i: number) => new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(i * 4, true);
    try {
      switch (op) {
        case OP.SYNC:
          // The ROM answers each SYNC several times; esptool reads them all.
          return Array.from({ length: 8 }, () => response(op, 0x20120707));
        case OP.READ_REG:
          return [response(op, word(0) === CHIP_DETECT_MAGIC_REG ? ESP32_MAGIC : 0)];
        case OP.WRITE_REG:
        case OP.SPI_ATTACH:
        case OP.SPI_SET_PARAMS:
          return [response(op)];
        case OP.CHANGE_BAUDRATE:
          this.events.changeBaud(word(0));
          return [response(op)];
        case OP.FLASH_BEGIN:
        case OP.FLASH_DEFL_BEGIN:
          this.begin(op, word(0), word(1), word(2), word(3));
          return [response(op)];
        case OP.FLASH_DATA:
        case OP.FLASH_DEFL_DATA:
          await this.block(op, data, chk, word(0), word(1));
          return [response(op)];
        case OP.FLASH_END:
        case OP.FLASH_DEFL_END: {
          await this.finishInflate();
          this.download = null;
          // 0 = leave the ROM and run the application; 1 = stay in the bootloader.
          const run = len >= 4 && word(0) === 0;
          const out = [response(op)];
          if (run) setImmediate(() => this.events.runApp());
          return out;
        }
        case OP.SPI_FLASH_MD5: {
          // The ROM answers with the digest as 32 ASCII hex characters (the stub sends 16 raw bytes).
          const md5 = this.flash.md5(word(0), word(1));
          return [response(op, 0, Buffer.from(md5, 'ascii'))];
        }
        default:
          // MEM_BEGIN and friends would load code into RAM to run it: this simulator
          // runs no Xtensa code, so it answers like a ROM that does not know the command.
          throw new RomError(ROM_ERR.INVALID_MESSAGE, `unsupported command 0x${op.toString(16)}`);
      }
    } catch (e) {
      const code = e instanceof RomError ? e.code : ROM_ERR.FAILED;
      return [response(op, 0, new Uint8Array(0), code)];
    }
  }

  private begin(op: number, eraseSize: number, blocks: number, blockSize: number, offset: number): void {
    const compressed = op === OP.FLASH_DEFL_BEGIN;
    // The ROM erases the region up front: for deflate, eraseSize is the uncompressed size.
    if (eraseSize > 0) this.flash.erase(offset, eraseSize);
    this.download = { offset, eraseSize, blockSize, blocks, nextSeq: 0, written: 0, inflate: compressed ? createInflate() : null };
  }

  private async block(op: number, data: Uint8Array, chk: number, size: number, seq: number): Promise<void> {
    const d = this.download;
    if (!d || (op === OP.FLASH_DEFL_DATA) !== (d.inflate !== null)) throw new RomError(ROM_ERR.FAILED, 'no download in progress');
    const payload = data.subarray(16, 16 + size);
    if (payload.length !== size) throw new RomError(ROM_ERR.INVALID_MESSAGE, 'short block');
    let sum = CHECKSUM_SEED;
    for (const b of payload) sum ^= b;
    if (sum !== (chk & 0xff)) throw new RomError(ROM_ERR.BAD_CHECKSUM, 'bad checksum');
    // A retried block (the ack was lost) is accepted again without writing twice.
    if (seq === d.nextSeq - 1) return;
    if (seq !== d.nextSeq) throw new RomError(ROM_ERR.FAILED, `block ${seq} out of order (expected ${d.nextSeq})`);
    d.nextSeq++;
    const plain = d.inflate ? await this.inflateChunk(d.inflate, payload) : payload;
    this.flash.write(d.offset + d.written, plain);
    d.written += plain.length;
  }

  private inflateChunk(inflate: Inflate, chunk: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const out: Buffer[] = [];
      const onData = (b: Buffer) => out.push(b);
      const onError = (e: Error) => {
        inflate.off('data', onData);
        reject(new RomError(ROM_ERR.DEFLATE, e.message));
      };
      inflate.on('data', onData);
      inflate.once('error', onError);
      inflate.write(chunk);
      inflate.flush(zc.Z_SYNC_FLUSH, () => {
        inflate.off('data', onData);
        inflate.off('error', onError);
        resolve(Buffer.concat(out));
      });
    });
  }

  private async finishInflate(): Promise<void> {
    this.download?.inflate?.close();
  }

  /** Forgets a half-done download (the chip was reset). */
  reset(): void {
    this.download?.inflate?.close();
    this.download = null;
  }
}

function response(op: number, value = 0, body: Uint8Array = new Uint8Array(0), error = 0): Uint8Array {
  const status = Uint8Array.of(error ? 1 : 0, error, 0, 0);
  const out = new Uint8Array(8 + body.length + status.length);
  const v = new DataView(out.buffer);
  out[0] = 0x01;
  out[1] = op;
  v.setUint16(2, body.length + status.length, true);
  v.setUint32(4, value >>> 0, true);
  out.set(body, 8);
  out.set(status, 8 + body.length);
  return out;
}
