// OLED frames per second on the simulated board: a program redraws the whole
// 128x64 framebuffer (fill, fill_rect, text) and calls show() in a loop,
// through machine.I2C and the SSD1306 model. Reports the program's frame
// rate, the time one show() takes, and how many distinct frames reached the
// board view (which is rate-limited to about 60 posts a second).
//
// run.ts calls oledFpsRows(); standalone: node --import tsx bench/sim/oled-fps.ts

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BoardProfile } from '../../runtime/sim/common/board-profile.js';
import { startTestBoard } from '../../runtime/sim/node/sim-test-kit.js';

const DRIVER = path.join(import.meta.dirname, '..', '..', 'runtime', 'sim', 'worker', 'bus', 'fixtures', 'oled_driver.py');

export interface OledFps {
  frames: number;
  /** show() calls per second in the program, drawing included. */
  programFps: number;
  /** Mean time of one show() (1 KiB over I2C into the model), ms. */
  showMs: number;
  /** Distinct OLED pictures the host received per second. */
  viewFps: number;
  /** Worker heap growth over the run, bytes (the interpreter's heap is fixed; this is the JS side). */
  rssGrowth: number;
}

export async function measureOledFps(frames = 600, profile?: BoardProfile): Promise<OledFps> {
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-oled-fps-'));
  fs.mkdirSync(path.join(filesDir, 'lib'));
  fs.copyFileSync(DRIVER, path.join(filesDir, 'lib', 'oled_driver.py'));
  const tb = await startTestBoard({ filesDir, ...(profile ? { profile } : {}) });
  try {
    await tb.exec('import time\nfrom machine import I2C\nfrom oled_driver import OLED\noled = OLED(128, 64, I2C(0))');
    let shown = 0;
    let last = '';
    const off = tb.board.onView((v) => {
      const px = v.displays[0]?.pixels;
      const key = px ? Buffer.from(px).toString('base64') : '';
      if (key !== last) shown++;
      last = key;
    });
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await tb.exec(
      [
        `n = ${frames}`,
        'show_us = 0',
        't0 = time.ticks_us()',
        'for i in range(n):',
        '    oled.fill(0)',
        '    oled.fill_rect(i % 96, 12, 32, 32, 1)',
        "    oled.text('frame %d' % i, 0, 0, 1)",
        "    oled.text('Mote Studio', 20, 54, 1)",
        '    t = time.ticks_us()',
        '    oled.show()',
        '    show_us += time.ticks_diff(time.ticks_us(), t)',
        'print(time.ticks_diff(time.ticks_us(), t0), show_us)',
      ].join('\n'),
      600_000,
    );
    const wall = (performance.now() - t0) / 1000;
    off();
    if (r.err) throw new Error(`the drawing loop failed: ${r.err}`);
    const [totalUs, showUs] = r.out.trim().split(/\s+/).map(Number);
    return {
      frames,
      programFps: frames / (totalUs / 1e6),
      showMs: showUs / frames / 1000,
      viewFps: shown / wall,
      rssGrowth: process.memoryUsage().rss - rss0,
    };
  } finally {
    await tb.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  }
}

/** Rows for bench/sim/run.ts's table: [what, measured, target]. */
export async function oledFpsRows(frames = 600): Promise<Array<[string, string, string]>> {
  const m = await measureOledFps(frames);
  return [
    ['OLED frames/s, full redraw + show() (program)', `${m.programFps.toFixed(0)} fps (show() ${m.showMs.toFixed(2)} ms)`, ''],
    ['OLED frames/s reaching the board view', `${m.viewFps.toFixed(0)} fps`, '<= 60 (view rate limit)'],
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const frames = Number(process.argv[2] ?? 600);
  const m = await measureOledFps(frames);
  const rows: Array<[string, string]> = [
    ['frames drawn', String(m.frames)],
    ['program frame rate (fill + fill_rect + 2 text + show)', `${m.programFps.toFixed(1)} fps`],
    ['one show() (1 KiB over I2C into the SSD1306 model)', `${m.showMs.toFixed(3)} ms`],
    ['distinct frames in the board view', `${m.viewFps.toFixed(1)} fps`],
    ['host RSS growth over the run', `${(m.rssGrowth / 1048576).toFixed(1)} MiB`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  process.exit(0);
}
