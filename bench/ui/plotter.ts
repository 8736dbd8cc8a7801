// The plotter under a flood (issue 4: at least 1,000 points a second without
// freezing the UI). The real back end and simulator in browser mode, the built
// UI in Chromium; a program prints tuples as fast as it can while the page
// counts animation frames. Prints one table. Run: npx tsx bench/ui/plotter.ts
// (after `npm run build`, which builds the renderer).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowserMode } from '../../main/node/browser-mode.js';
import { launchChromium } from '../../e2e/chromium.js';

const LINES = 30_000;
const PROGRAM = `import time
t = time.ticks_ms()
for i in range(${LINES}):
    print((i % 200, (i * 7) % 150, i % 50))
print("took", time.ticks_diff(time.ticks_ms(), t), "ms")
`;

// window.__motePlot: set by the renderer.
import type {} from '../../renderer/src/test-hooks.js';

declare global {
  interface Window {
    __moteFrames?: { gaps: number[]; last: number; stop: boolean };
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-ui-'));
const app = await launchBrowserMode({ projectDir: path.join(tmp, 'project'), dataDir: path.join(tmp, 'data') });
const browser = await launchChromium();
interface Flood {
  seconds: number;
  gaps: number[];
}

try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(app.url);
  await page.getByTestId('status').getByText('Ready').waitFor({ timeout: 15000 });
  const editor = page.getByTestId('editor').locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(PROGRAM);

  /** Runs the program once and counts animation frames until it is done. */
  async function flood(): Promise<Flood> {
    await page.getByTestId('terminal-clear').click();
    // A string, not a function: tsx would wrap named functions in a helper the page lacks.
    await page.evaluate(`(() => {
      const f = { gaps: [], last: performance.now(), stop: false };
      window.__moteFrames = f;
      const tick = (now) => { f.gaps.push(now - f.last); f.last = now; if (!f.stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const t0 = performance.now();
    await page.getByTestId('run').click();
    // Polled slowly: reading the terminal's text walks its whole scrollback.
    await page.waitForFunction(() => /took \d+ ms/.test(window.__moteTerminalText?.() ?? ''), undefined, { timeout: 120_000, polling: 500 });
    const seconds = (performance.now() - t0) / 1000;
    const gaps = await page.evaluate(() => window.__moteFrames!.gaps.slice(1));
    return { seconds, gaps };
  }

  // Terminal alone first: what the plotter adds is the difference.
  const terminalOnly = await flood();
  await page.getByTestId('plotter-toggle').click();
  await page.getByTestId('plot-clear').click();
  const withPlotter = await flood();
  await page.waitForFunction((n) => (window.__motePlot?.().received ?? 0) >= n, LINES, { timeout: 30_000 });

  const stats = (f: Flood) => {
    const sorted = [...f.gaps].sort((a, b) => a - b);
    return { fps: f.gaps.length / f.seconds, p99: sorted[Math.floor(sorted.length * 0.99)], max: sorted[sorted.length - 1] };
  };
  const a = stats(terminalOnly);
  const b = stats(withPlotter);
  const rows: Array<[string, string, string, string]> = [
    ['lines printed per second (3 values each)', `${Math.round(LINES / terminalOnly.seconds)}`, `${Math.round(LINES / withPlotter.seconds)}`, ''],
    ['points plotted per second', '', `${Math.round((3 * LINES) / withPlotter.seconds)}`, '>= 1000'],
    ['UI frames per second during the flood', a.fps.toFixed(0), b.fps.toFixed(0), ''],
    ['frame gap p99', `${a.p99.toFixed(1)} ms`, `${b.p99.toFixed(1)} ms`, ''],
    ['longest frame gap', `${a.max.toFixed(1)} ms`, `${b.max.toFixed(1)} ms`, 'no freeze'],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${`${LINES} printed tuples`.padEnd(w)}  ${'terminal'.padEnd(10)}  ${'+ plotter'.padEnd(10)}  target`);
  for (const [name, x, y, target] of rows) console.log(`${name.padEnd(w)}  ${x.padEnd(10)}  ${y.padEnd(10)}  ${target}`);
} finally {
  await browser.close();
  await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
