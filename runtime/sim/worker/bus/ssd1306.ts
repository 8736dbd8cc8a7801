// An SSD1306 128x64 OLED controller on I2C: the command parser and the
// display RAM (GDDRAM), from the datasheet's command table. The picture the
// board view shows is what the glass would show: RAM mapped through the
// segment remap, COM scan direction, start line, offset and multiplex ratio.
//
// GDDRAM is 8 pages of 128 bytes; each byte is a column of 8 pixels, LSB at
// the top (framebuf's MONO_VLSB). The view wants MONO_HLSB rows.

import type { DisplayView } from '../../common/board-view.js';
import type { I2cDevice } from './i2c-bus.js';

export const SSD1306_ADDRESS = 0x3c;
const WIDTH = 128;
const HEIGHT = 64;
const PAGES = HEIGHT / 8;

// I2C control byte: Co (another control byte follows the next byte) and D/C# (data, not command).
const CONTROL_CO = 0x80;
const CONTROL_DC = 0x40;

/** Parameter bytes each multi-byte command takes. */
const PARAM_COUNT: Record<number, number> = {
  0x20: 1, // memory addressing mode
  0x21: 2, // column address range
  0x22: 2, // page address range
  0x26: 6, // horizontal scroll setup (right)
  0x27: 6, // horizontal scroll setup (left)
  0x29: 5, // vertical and horizontal scroll setup
  0x2a: 5,
  0x81: 1, // contrast
  0x8d: 1, // charge pump
  0xa3: 2, // vertical scroll area
  0xa8: 1, // multiplex ratio
  0xd3: 1, // display offset
  0xd5: 1, // clock divide / oscillator
  0xd9: 1, // pre-charge period
  0xda: 1, // COM pins configuration
  0xdb: 1, // VCOMH deselect level
};

const enum Mode {
  Horizontal = 0,
  Vertical = 1,
  Page = 2,
}

export class Ssd1306 implements I2cDevice {
  readonly address: number;
  /** Page layout, as the controller stores it. */
  readonly ram = new Uint8Array(WIDTH * PAGES);
  private mode: Mode = Mode.Page; // the reset value
  private col = 0;
  private page = 0;
  private colStart = 0;
  private colEnd = WIDTH - 1;
  private pageStart = 0;
  private pageEnd = PAGES - 1;
  private displayOn = false;
  private inverted = false;
  private entireOn = false;
  private chargePump = false;
  private contrast = 0x7f;
  private segRemap = false;
  private comRemap = false;
  private startLine = 0;
  private offset = 0;
  private mux = HEIGHT - 1;
  private comAlternative = true; // 0xDA reset value 0x12
  /** The command being collected, with its parameters, across messages (drivers send one byte per message). */
  private pending: number[] = [];
  // Per-message state: the next byte is a control byte / a data or command byte.
  private expectControl = true;
  private singleByte = false;
  private isData = false;
  /** Counts changes so the worker can tell whether the view needs posting. */
  version = 0;
  /** The last picture built, reused while nothing changed (the view is posted for pin changes too). */
  private picture: { version: number; pixels: Uint8Array } | null = null;
  /** The controller has been spoken to since power-on. */
  used = false;

  constructor(
    readonly bus: string,
    address = SSD1306_ADDRESS,
    private readonly onChange: () => void = () => undefined,
  ) {
    this.address = address;
  }

  start(): boolean {
    this.expectControl = true;
    this.used = true;
    return true; // the SSD1306 always ACKs its address
  }

  write(data: Uint8Array): number {
    for (const b of data) {
      if (this.expectControl) {
        this.singleByte = (b & CONTROL_CO) !== 0;
        this.isData = (b & CONTROL_DC) !== 0;
        this.expectControl = false;
        continue;
      }
      if (this.isData) this.writeRam(b);
      else this.command(b);
      if (this.singleByte) this.expectControl = true;
    }
    this.changed();
    return data.length;
  }

  /** Reading returns the status byte (bit 6 = display off); drivers never do, but the wire allows it. */
  read(n: number): Uint8Array {
    return new Uint8Array(n).fill(this.displayOn ? 0x00 : 0x40);
  }

  stop(): void {
    this.expectControl = true;
  }

  /** What the glass shows now, for the board view. */
  view(): DisplayView {
    return {
      kind: 'ssd1306',
      bus: this.bus,
      address: this.address,
      width: WIDTH,
      height: HEIGHT,
      // Modules have no external panel supply: without the charge pump the glass stays dark.
      on: this.displayOn && this.chargePump,
      inverted: this.inverted,
      contrast: this.contrast,
      pixels: this.currentPixels(),
    };
  }

  private currentPixels(): Uint8Array {
    if (this.picture?.version !== this.version) this.picture = { version: this.version, pixels: this.pixels() };
    return this.picture.pixels;
  }

  /** MONO_HLSB rows of the visible picture (before inversion, which the view applies). */
  pixels(): Uint8Array {
    const out = new Uint8Array((WIDTH / 8) * HEIGHT);
    const rows = this.mux + 1;
    for (let y = 0; y < HEIGHT; y++) {
      const com = this.comForRow(y);
      if (com >= rows) continue; // COM lines past the multiplex ratio are not driven
      const ramRow = (com + this.startLine + this.offset) % HEIGHT;
      const page = ramRow >> 3;
      const bit = 1 << (ramRow & 7);
      for (let x = 0; x < WIDTH; x++) {
        // The usual module is wired so that 0xA1 shows column 0 at the left.
        const column = this.segRemap ? x : WIDTH - 1 - x;
        if (this.entireOn || this.ram[page * WIDTH + column] & bit) out[y * (WIDTH / 8) + (x >> 3)] |= 0x80 >> (x & 7);
      }
    }
    return out;
  }

  /** Which COM scan position drives glass row y. */
  private comForRow(y: number): number {
    // The usual module is wired so that 0xC8 (scan from COM63) is upright.
    let line = this.comRemap ? y : HEIGHT - 1 - y;
    // Sequential COM pins on a 64-row panel (0xDA 0x02) interleave the rows: the
    // picture looks stretched, which is what users of the wrong setting see.
    if (!this.comAlternative) line = line < HEIGHT / 2 ? line * 2 : (line - HEIGHT / 2) * 2 + 1;
    return line;
  }

  private writeRam(b: number): void {
    this.ram[this.page * WIDTH + this.col] = b;
    switch (this.mode) {
      case Mode.Horizontal:
        if (++this.col > this.colEnd) {
          this.col = this.colStart;
          if (++this.page > this.pageEnd) this.page = this.pageStart;
        }
        break;
      case Mode.Vertical:
        if (++this.page > this.pageEnd) {
          this.page = this.pageStart;
          if (++this.col > this.colEnd) this.col = this.colStart;
        }
        break;
      default:
        // Page mode: the column wraps within the page.
        if (++this.col >= WIDTH) this.col = 0;
    }
  }

  private command(b: number): void {
    if (this.pending.length === 0) {
      if ((PARAM_COUNT[b] ?? 0) > 0) {
        this.pending.push(b);
        return;
      }
      this.simple(b);
      return;
    }
    this.pending.push(b);
    const [cmd, ...params] = this.pending;
    if (params.length < PARAM_COUNT[cmd]) return;
    this.pending = [];
    this.withParams(cmd, params);
  }

  private simple(b: number): void {
    if (b <= 0x0f) this.col = (this.col & 0xf0) | b;
    else if (b <= 0x1f) this.col = ((b & 0x07) << 4) | (this.col & 0x0f);
    else if (b >= 0x40 && b <= 0x7f) this.startLine = b & 0x3f;
    else if (b >= 0xb0 && b <= 0xb7) this.page = b & 0x07;
    else if (b === 0xa0 || b === 0xa1) this.segRemap = b === 0xa1;
    else if (b === 0xa4 || b === 0xa5) this.entireOn = b === 0xa5;
    else if (b === 0xa6 || b === 0xa7) this.inverted = b === 0xa7;
    else if (b === 0xae || b === 0xaf) this.displayOn = b === 0xaf;
    else if (b === 0xc0 || b === 0xc8) this.comRemap = b === 0xc8;
    // Anything else (scroll on/off 0x2E/0x2F, NOP 0xE3, unknown codes) leaves the picture as it is.
  }

  private withParams(cmd: number, p: number[]): void {
    switch (cmd) {
      case 0x20:
        if ((p[0] & 3) !== 3) this.mode = (p[0] & 3) as Mode; // 3 is invalid and ignored
        break;
      case 0x21:
        this.colStart = p[0] & 0x7f;
        this.colEnd = p[1] & 0x7f;
        this.col = this.colStart;
        break;
      case 0x22:
        this.pageStart = p[0] & 0x07;
        this.pageEnd = p[1] & 0x07;
        this.page = this.pageStart;
        break;
      case 0x81:
        this.contrast = p[0];
        break;
      case 0x8d:
        this.chargePump = (p[0] & 0x04) !== 0;
        break;
      case 0xa8:
        // Ratios below 16 are invalid and leave the setting unchanged.
        if ((p[0] & 0x3f) >= 15) this.mux = p[0] & 0x3f;
        break;
      case 0xd3:
        this.offset = p[0] & 0x3f;
        break;
      case 0xda:
        this.comAlternative = (p[0] & 0x10) !== 0;
        break;
      // Scrolling, timing and VCOMH settings do not change a still picture.
    }
  }

  private changed(): void {
    this.version++;
    this.onChange();
  }
}
