// A Winbond W25Q16JV 2 MiB SPI NOR flash, from its datasheet's instruction
// table: JEDEC ID (9Fh), read (03h, 0Bh), write enable (06h), page program
// (02h), sector/block/chip erase, status register 1 (05h) with BUSY and WEL.
// Program and erase instructions take effect when CS rises, as on the chip,
// and keep BUSY set for the chip's typical time. Memory is kept per 4 KiB
// sector and only once written, so an untouched chip costs nothing.

export const FLASH_JEDEC_ID = [0xef, 0x40, 0x15] as const; // Winbond, SPI NOR, 16 Mbit
const SIZE = 2 * 1024 * 1024;
const SECTOR = 4096;
const PAGE = 256;
const STATUS_BUSY = 0x01;
const STATUS_WEL = 0x02;
/** Typical times in ms (datasheet "AC characteristics"). */
const T_PAGE_PROGRAM = 0.4;
const T_SECTOR_ERASE = 45;
const T_BLOCK32_ERASE = 120;
const T_BLOCK64_ERASE = 150;
const T_CHIP_ERASE = 5000;

const enum Op {
  ReadStatus1 = 0x05,
  ReadStatus2 = 0x35,
  ReadStatus3 = 0x15,
  WriteEnable = 0x06,
  WriteDisable = 0x04,
  Read = 0x03,
  FastRead = 0x0b,
  PageProgram = 0x02,
  SectorErase = 0x20,
  Block32Erase = 0x52,
  Block64Erase = 0xd8,
  ChipErase = 0xc7,
  ChipEraseAlt = 0x60,
  JedecId = 0x9f,
  ManufacturerId = 0x90,
  ReleasePowerDown = 0xab,
  PowerDown = 0xb9,
}

export interface SpiDevice {
  /** The GPIO wired to its chip select (active low). */
  readonly cs: number;
  select(now: number): void;
  deselect(now: number): void;
  /** One byte each way, MSB first, while selected. */
  exchange(mosi: number, now: number): number;
}

export class SpiFlash implements SpiDevice {
  private readonly sectors = new Map<number, Uint8Array>();
  private wel = false;
  private busyUntil = 0;
  private poweredDown = false;
  /** The instruction and its bytes so far, in this CS-low frame. */
  private frame: number[] = [];
  private program: Array<[number, number]> = [];

  constructor(readonly cs: number) {}

  select(): void {
    this.frame = [];
    this.program = [];
  }

  deselect(now: number): void {
    const [op, a1, a2, a3] = this.frame;
    const addr = ((a1 << 16) | (a2 << 8) | a3) % SIZE;
    const complete = this.frame.length;
    this.frame = [];
    if (op === undefined || this.busy(now)) return;
    if (complete === 1) {
      if (op === Op.WriteEnable) this.wel = true;
      else if (op === Op.WriteDisable) this.wel = false;
      else if (op === Op.PowerDown) this.poweredDown = true;
      else if (op === Op.ReleasePowerDown) this.poweredDown = false;
      else if ((op === Op.ChipErase || op === Op.ChipEraseAlt) && this.wel) {
        this.sectors.clear();
        this.finishWrite(now, T_CHIP_ERASE);
      }
      return;
    }
    if (!this.wel) return;
    if (op === Op.PageProgram && complete > 4) {
      for (const [a, v] of this.program) this.programByte(a, v);
      this.finishWrite(now, T_PAGE_PROGRAM);
    } else if (complete === 4 && op === Op.SectorErase) this.erase(addr, SECTOR, now, T_SECTOR_ERASE);
    else if (complete === 4 && op === Op.Block32Erase) this.erase(addr, 8 * SECTOR, now, T_BLOCK32_ERASE);
    else if (complete === 4 && op === Op.Block64Erase) this.erase(addr, 16 * SECTOR, now, T_BLOCK64_ERASE);
  }

  exchange(mosi: number, now: number): number {
    const f = this.frame;
    f.push(mosi);
    const op = f[0];
    const n = f.length; // bytes so far, including this one
    if (this.busy(now) && op !== Op.ReadStatus1) return 0xff; // ignored while busy
    if (this.poweredDown && op !== Op.ReleasePowerDown) return 0xff;
    switch (op) {
      case Op.ReadStatus1:
        return n === 1 ? 0xff : (this.busy(now) ? STATUS_BUSY : 0) | (this.wel ? STATUS_WEL : 0);
      case Op.ReadStatus2:
      case Op.ReadStatus3:
        return n === 1 ? 0xff : 0x00;
      case Op.JedecId:
        return n >= 2 && n <= 4 ? FLASH_JEDEC_ID[n - 2] : 0xff;
      case Op.ManufacturerId:
        // 90h, three address bytes (000000h), then manufacturer and device ID alternately.
        return n <= 4 ? 0xff : n % 2 === 1 ? FLASH_JEDEC_ID[0] : 0x14;
      case Op.ReleasePowerDown:
        return n <= 4 ? 0xff : 0x14; // device ID after three dummy bytes
      case Op.Read:
        return n <= 4 ? 0xff : this.byteAt(this.address() + n - 5);
      case Op.FastRead:
        return n <= 5 ? 0xff : this.byteAt(this.address() + n - 6);
      case Op.PageProgram:
        if (n > 4) {
          // The address wraps within its 256-byte page, as the datasheet warns.
          const start = this.address();
          const base = start & ~(PAGE - 1);
          this.program.push([base + ((start + n - 5) & (PAGE - 1)), mosi]);
        }
        return 0xff;
      default:
        return 0xff;
    }
  }

  /** A byte of the array, for tests and the view. */
  byteAt(addr: number): number {
    const a = ((addr % SIZE) + SIZE) % SIZE;
    return this.sectors.get(Math.floor(a / SECTOR))?.[a % SECTOR] ?? 0xff;
  }

  private address(): number {
    return ((this.frame[1] << 16) | (this.frame[2] << 8) | this.frame[3]) % SIZE;
  }

  private busy(now: number): boolean {
    if (this.busyUntil && now >= this.busyUntil) {
      this.busyUntil = 0;
      this.wel = false;
    }
    return this.busyUntil > 0;
  }

  private finishWrite(now: number, ms: number): void {
    this.busyUntil = now + ms;
  }

  /** NOR programming can only clear bits. */
  private programByte(addr: number, v: number): void {
    const s = Math.floor(addr / SECTOR);
    let sector = this.sectors.get(s);
    if (!sector) this.sectors.set(s, (sector = new Uint8Array(SECTOR).fill(0xff)));
    sector[addr % SECTOR] &= v;
  }

  private erase(addr: number, size: number, now: number, ms: number): void {
    const first = Math.floor((addr - (addr % size)) / SECTOR);
    for (let s = first; s < first + size / SECTOR; s++) this.sectors.delete(s);
    this.finishWrite(now, ms);
  }
}
