// The simulated board's SPI flash, kept in a file so a flashed image
// survives the board being closed and started again.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Erase granularity of SPI NOR flash: one 4 KiB sector. */
export const SECTOR = 0x1000;

export class FlashStore {
  private fd: number | null = null;

  /** The file is made on the first write: until then the board is as shipped, with its factory MicroPython. */
  constructor(
    readonly file: string,
    readonly size: number,
  ) {}

  /** False on a board whose factory firmware was never replaced or erased. */
  get everWritten(): boolean {
    return this.fd !== null || fs.existsSync(this.file);
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const existed = fs.existsSync(this.file);
    const fd = fs.openSync(this.file, existed ? 'r+' : 'w+', 0o600);
    if (!existed || fs.fstatSync(fd).size !== this.size) {
      // Erased NOR flash reads as 0xFF.
      const ff = Buffer.alloc(64 * 1024, 0xff);
      for (let pos = 0; pos < this.size; pos += ff.length) fs.writeSync(fd, ff, 0, Math.min(ff.length, this.size - pos), pos);
      fs.ftruncateSync(fd, this.size);
    }
    this.fd = fd;
    return fd;
  }

  private check(addr: number, len: number): void {
    if (addr < 0 || len < 0 || addr + len > this.size) throw new RangeError(`0x${addr.toString(16)}+${len} is outside the ${this.size}-byte flash`);
  }

  /** Erases whole sectors covering [addr, addr+len). */
  erase(addr: number, len: number): void {
    const start = Math.floor(addr / SECTOR) * SECTOR;
    const end = Math.min(this.size, Math.ceil((addr + len) / SECTOR) * SECTOR);
    this.check(start, end - start);
    const fd = this.open();
    const ff = Buffer.alloc(SECTOR, 0xff);
    for (let p = start; p < end; p += SECTOR) fs.writeSync(fd, ff, 0, SECTOR, p);
  }

  write(addr: number, data: Uint8Array): void {
    this.check(addr, data.length);
    fs.writeSync(this.open(), data, 0, data.length, addr);
  }

  read(addr: number, len: number): Buffer {
    this.check(addr, len);
    const b = Buffer.alloc(len, 0xff);
    if (!this.everWritten) return b;
    fs.readSync(this.open(), b, 0, len, addr);
    return b;
  }

  md5(addr: number, len: number): string {
    return createHash('md5').update(this.read(addr, len)).digest('hex');
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
