// What sits between the serial wire and the simulated ESP32: the chip's
// auto-reset circuit and its ROM bootloader.
//
// On ESP dev boards RTS drives EN (reset) and DTR drives IO0 (boot select)
// through two transistors: EN is low while RTS=1 and DTR=0, IO0 is low while
// DTR=1 and RTS=0. When EN rises the chip boots; IO0 low at that moment means
// the ROM's download mode, high means run the application from flash.

import type { SimBoard } from '../node/sim-board.js';
import type { FlashStore } from './flash-store.js';
import { RomCommands } from './rom-commands.js';
import { SlipDecoder, slipEncode } from './slip.js';
import { Listeners } from '../../common/listeners.js';

export type ChipMode = 'app' | 'reset' | 'download' | 'no-app';

/** Where an ESP32 MicroPython image starts, and the header's chip id for an ESP32. */
export const ESP32_APP_OFFSET = 0x1000;
const IMAGE_MAGIC = 0xe9;
const ESP32_CHIP_ID = 0;

export class EspRomFront {
  private readonly dataListeners = new Listeners<[Uint8Array]>();
  private readonly modeListeners = new Listeners<[ChipMode]>();
  private _mode: ChipMode = 'app';
  private en = true;
  private io0 = true;
  private readonly slip = new SlipDecoder((p) => this.enqueue(p));
  private queue: Promise<void> = Promise.resolve();
  readonly rom: RomCommands;
  /** The emulated line speed after CHANGE_BAUDRATE, for a pacer that wants it. */
  baud = 115200;

  constructor(
    private readonly board: SimBoard,
    readonly flash: FlashStore,
  ) {
    this.rom = new RomCommands(flash, {
      runApp: () => this.bootFromFlash(),
      changeBaud: (b) => {
        this.baud = b;
      },
    });
    board.onData((d) => {
      // The application's UART output only reaches the wire while it runs.
      if (this._mode === 'app') this.emit(d);
    });
  }

  get mode(): ChipMode {
    return this._mode;
  }

  onMode(l: (m: ChipMode) => void): () => void {
    return this.modeListeners.add(l);
  }

  /** The host changed its modem lines (both always given, as esptool sets them). */
  setLines(dtr: boolean, rts: boolean): void {
    const en = !(rts && !dtr);
    const io0 = !(dtr && !rts);
    const rising = en && !this.en;
    this.en = en;
    this.io0 = io0;
    if (!en) this.setMode('reset');
    else if (rising) {
      if (!io0) this.enterDownload();
      else this.bootFromFlash();
    }
  }

  async write(d: Uint8Array): Promise<void> {
    if (this._mode === 'app') return this.board.write(d);
    if (this._mode === 'download') this.slip.push(d);
    // In reset, or with no bootable image, bytes fall on the floor as on a chip.
  }

  onData(l: (d: Uint8Array) => void): () => void {
    return this.dataListeners.add(l);
  }

  private enterDownload(): void {
    this.rom.reset();
    this.slip.reset();
    this.setMode('download');
    // What the ESP32 ROM prints at 115200 when IO0 is held low at reset.
    this.text('ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download\r\n');
  }

  /**
   * The ROM checks the image header at 0x1000 (magic 0xE9, chip id 0 for the
   * ESP32). A valid image boots the simulated MicroPython: the simulator runs
   * no Xtensa code, so any valid image stands for "MicroPython".
   */
  private bootFromFlash(): void {
    this.rom.reset();
    this.text('ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n');
    const h = this.flash.read(ESP32_APP_OFFSET, 16);
    const valid = !this.flash.everWritten || (h[0] === IMAGE_MAGIC && h.readUInt16LE(12) === ESP32_CHIP_ID);
    if (!valid) {
      this.text(`invalid header: 0x${h.readUInt32LE(0).toString(16).padStart(8, '0')}\r\n`);
      this.setMode('no-app');
      return;
    }
    this.setMode('app');
    void this.board.hardReset();
  }

  private enqueue(packet: Uint8Array): void {
    // One command at a time, in order, as the ROM's single loop does.
    this.queue = this.queue.then(async () => {
      if (this._mode !== 'download') return;
      for (const r of await this.rom.handle(packet)) this.emit(slipEncode(r));
    });
  }

  private text(s: string): void {
    this.emit(Buffer.from(s, 'latin1'));
  }

  private emit(d: Uint8Array): void {
    this.dataListeners.emit(d);
  }

  private setMode(m: ChipMode): void {
    if (m === this._mode) return;
    this._mode = m;
    this.modeListeners.emit(m);
  }
}
