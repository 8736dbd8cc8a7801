// Flash throughput: esptool-js writing a 256 KB MicroPython-like image to the
// simulated ESP32's ROM bootloader over a real pty, with the line paced at an
// emulated 115200 and 921600 baud (8N1: baud/10 bytes per second each way),
// compression on and off. Run with `npx tsx bench/flash/run.ts`.
//
// The pacing is set on the simulated board's side for the whole session
// (flashEsp is told the ROM's 115200 so it sends no CHANGE_BAUDRATE: a pty has
// no real line speed to change). KB = 1000 bytes. "Image rate" counts image
// bytes written per second; "wire use" is the share of the line's capacity
// that the bytes esptool actually sent (SLIP-framed blocks) took.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { flashEsp } from '../../runtime/flash/esp/esp-flash.js';
import { makeEspImage } from '../../runtime/flash/testing/esp-test-image.js';
import { ESP32_DEVKITC } from '../../runtime/sim/common/profiles/esp32-devkitc.js';
import { serveEspSimOnPty } from '../../runtime/sim/esp-rom/esp-sim-pty.js';
import { deflateSync } from 'node:zlib';

const SIZE = 256 * 1024;
const image = makeEspImage(SIZE, 0, 11);
const compressedSize = deflateSync(image, { level: 9 }).length;

interface Row {
  baud: string;
  compress: string;
  sent: string;
  seconds: string;
  imageRate: string;
  lineRate: string;
  wireUse: string;
}

async function run(baud: number, compress: boolean): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-flashbench-'));
  const server = await serveEspSimOnPty({ ptyPath: path.join(dir, 'tty'), filesDir: path.join(dir, 'files'), profile: ESP32_DEVKITC, baud });
  try {
    let firstWrite = 0;
    let lastWrite = 0;
    let sent = 0;
    await flashEsp({
      port: server.ptyPath,
      image,
      baud: 115200,
      compress,
      connectAfter: false,
      onProgress: (p) => {
        if (p.phase !== 'writing' || !p.total) return;
        if (p.done === 0) firstWrite = performance.now();
        lastWrite = performance.now();
        sent = p.done ?? 0;
      },
    });
    const seconds = (lastWrite - firstWrite) / 1000;
    const line = baud / 10;
    // What crossed the wire host -> board while writing: each 1 KiB block with its 8 + 16 byte header and SLIP ends
    // (SLIP escapes not counted: about 0.8% more on incompressible data).
    const blocks = Math.ceil(sent / 0x400);
    const wire = sent + blocks * (8 + 16 + 2);
    return {
      baud: String(baud),
      compress: compress ? 'on' : 'off',
      sent: `${(sent / 1000).toFixed(0)} KB`,
      seconds: seconds.toFixed(2),
      imageRate: `${(SIZE / 1000 / seconds).toFixed(1)} KB/s`,
      lineRate: `${(line / 1000).toFixed(1)} KB/s`,
      wireUse: `${((100 * wire) / seconds / line).toFixed(0)}%`,
    };
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const baud of [115200, 921600]) for (const compress of [true, false]) rows.push(await run(baud, compress));

const head: Row = { baud: 'baud', compress: 'deflate', sent: 'sent', seconds: 'write s', imageRate: 'image rate', lineRate: 'line rate', wireUse: 'wire use' };
const keys = Object.keys(head) as (keyof Row)[];
const width = (k: keyof Row) => Math.max(...[head, ...rows].map((r) => r[k].length));
const line = (r: Row) => `| ${keys.map((k) => r[k].padEnd(width(k))).join(' | ')} |`;
console.log(`Image ${SIZE / 1024} KiB (deflates to ${(compressedSize / 1000).toFixed(0)} KB), ROM loader, 1 KiB blocks, simulated ESP32 on a pty. KB = 1000 bytes.`);
console.log(line(head));
console.log(`|${keys.map((k) => '-'.repeat(width(k) + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
