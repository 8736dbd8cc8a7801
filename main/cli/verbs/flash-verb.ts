// `mote flash --port P firmware.bin|.uf2 [--erase]`: MicroPython onto a board.
// A .bin goes to an ESP8266/ESP32-family board through its ROM bootloader
// (esptool-js); a .uf2 to an rp2 board through its BOOTSEL drive.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { flashEsp } from '../../../runtime/flash/esp/esp-flash.js';
import { FlashError } from '../../../runtime/flash/flash-errors.js';
import { describeProgress, type FlashProgress } from '../../../runtime/flash/progress.js';
import { flashUf2 } from '../../../runtime/flash/uf2/uf2-flash.js';
import { ESP32_DEVKITC } from '../../../runtime/sim/common/profiles/esp32-devkitc.js';
import { serveEspSimOnPty, type EspSimPtyServer } from '../../../runtime/sim/esp-rom/esp-sim-pty.js';
import { parseFlags, type Verb } from '../cli-context.js';
import { UsageError, type CliOutput } from '../cli-io.js';

export const flash: Verb = {
  args: 'FIRMWARE.bin|FIRMWARE.uf2 [--erase] [--flash-baud N] [--no-compress] [--drive DIR]  (with --port P, or --rehearse)',
  summary: 'write MicroPython firmware: .bin to ESP boards (esptool), .uf2 to rp2 boards (BOOTSEL drive)',
  async run(ctx) {
    const { flags, positional } = parseFlags('flash', ctx.args, { '--erase': false, '--flash-baud': true, '--no-compress': false, '--drive': true, '--rehearse': false });
    if (positional.length !== 1) throw new UsageError('mote flash: give one firmware file, e.g. mote flash --port /dev/ttyUSB0 ESP32_GENERIC-v1.27.0.bin');
    const file = positional[0];
    let image: Uint8Array;
    try {
      image = fs.readFileSync(file);
    } catch (e) {
      throw new UsageError(`mote flash: cannot read ${file}: ${(e as Error).message}`);
    }
    // --rehearse: the same flow against a simulated ESP32 (its flash kept in the data folder), for practice without hardware.
    let rehearsal: EspSimPtyServer | null = null;
    if (flags.has('--rehearse')) {
      if (ctx.target.port) throw new UsageError('mote flash: --rehearse uses a simulated ESP32; leave out --port');
      const boardDir = path.join(ctx.target.dataDir, 'boards', 'sim-esp32');
      const ptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-rehearse-'));
      rehearsal = await serveEspSimOnPty({ ptyPath: path.join(ptyDir, 'ttyESP32'), filesDir: path.join(boardDir, 'files'), flashFile: path.join(boardDir, 'flash.bin'), profile: ESP32_DEVKITC });
      ctx.io.stderr.write(`Rehearsing on a simulated ESP32-DevKitC at ${rehearsal.ptyPath}\n`);
    }
    const port = rehearsal?.ptyPath ?? ctx.target.port;
    const ac = new AbortController();
    const offInterrupt = ctx.io.onInterrupt(() => ac.abort());
    const line = new ProgressLine(ctx.io.stderr);
    try {
      if (/\.uf2$/i.test(file)) {
        if (flags.has('--erase')) throw new UsageError('mote flash: --erase is for ESP boards; a UF2 copy replaces the firmware (the files stay)');
        const drive = flags.get('--drive');
        const r = await flashUf2({
          image,
          port: port ?? undefined,
          mountRoots: typeof drive === 'string' ? [drive] : undefined,
          signal: ac.signal,
          onProgress: (p) => line.show(p),
        });
        line.end();
        ctx.io.stdout.write(`Copied ${r.bytes} bytes to ${r.drive.dir} (${r.chip}).\n${r.banner ? `${r.banner}\n` : ''}`);
        return 0;
      }
      if (!port) throw new UsageError('mote flash: an ESP board needs --port, e.g. mote flash --port /dev/ttyUSB0 firmware.bin');
      const baudArg = flags.get('--flash-baud');
      const baud = baudArg === undefined ? undefined : Number(baudArg);
      if (baud !== undefined && (!Number.isInteger(baud) || baud < 9600)) throw new UsageError(`mote flash: --flash-baud must be a whole number of at least 9600, not ${String(baudArg)}`);
      const r = await flashEsp({
        port,
        image,
        erase: flags.has('--erase'),
        baud,
        compress: !flags.has('--no-compress'),
        signal: ac.signal,
        onProgress: (p) => line.show(p),
      });
      line.end();
      ctx.io.stdout.write(
        `Wrote ${r.bytes} bytes to the ${r.chip} at 0x${r.offset.toString(16)} in ${r.writeSeconds.toFixed(1)} s; MD5 ${r.md5} verified.\n${r.banner ? `${r.banner}\n` : ''}`,
      );
      return 0;
    } catch (e) {
      line.end();
      if (e instanceof FlashError) {
        ctx.io.stderr.write(`mote flash: ${e.message}\n`);
        return e.kind === 'cancelled' ? 130 : 1;
      }
      throw e;
    } finally {
      offInterrupt();
      if (rehearsal) {
        await rehearsal.close();
        fs.rmSync(path.dirname(rehearsal.ptyPath), { recursive: true, force: true });
      }
    }
  },
};

/** One status line, rewritten in place ("\r"), so a long flash does not scroll the terminal. */
class ProgressLine {
  private shown = false;
  private last = '';

  constructor(private readonly out: CliOutput) {}

  show(p: FlashProgress): void {
    // esptool's own chatter ("Writing at 0x...") is noise next to the percentage.
    if (p.phase === 'writing' && !p.total) return;
    const text = describeProgress(p);
    if (text === this.last) return;
    this.last = text;
    this.out.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  end(): void {
    if (this.shown) this.out.write('\n');
    this.shown = false;
  }
}
