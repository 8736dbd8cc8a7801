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
    __moteFrames?: { gaps: number[]; last: number };
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-ui-'));
const app = await launchBrowserMode({ projectDir: path.join(tmp, 'project'), dataDir: path.join(tmp, 'data') });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(app.url);
  await page.getByTestId('status').getByText('Ready').waitFor({ timeout: 15000 });
  await page.getByTestId('plotter-toggle').click();
  const editor = page.getByTestId('editor').locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(PROGRAM);

  // A string, not a function: tsx would wrap named functions in a helper the page lacks.
  await page.evaluate(`(() => {
    const f = { gaps: [], last: performance.now() };
    window.__moteFrames = f;
    const tick = (now) => { f.gaps.push(now - f.last); f.last = now; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const t0 = performance.now();
  await page.getByTestId('run').click();
  await page.waitForFunction((n) => (window.__motePlot?.().received ?? 0) >= n, LINES, { timeout: 120_000, polling: 50 });
  const seconds = (performance.now() - t0) / 1000;
  const gaps = await page.evaluate(() => window.__moteFrames!.gaps.slice(1));
  const sorted = [...gaps].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)];
  const rows: Array<[string, string, string]> = [
    ['points plotted per second (3 series a line)', `${Math.round(LINES / seconds)}`, '>= 1000'],
    ['UI frames per second during the flood', `${(gaps.length / seconds).toFixed(0)}`, ''],
    ['frame gap p99', `${p99.toFixed(1)} ms`, ''],
    ['longest frame gap', `${sorted[sorted.length - 1].toFixed(1)} ms`, 'no freeze'],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'plotter'.padEnd(w)}  value        target`);
  for (const [name, value, target] of rows) console.log(`${name.padEnd(w)}  ${value.padEnd(11)}  ${target}`);
} finally {
  await browser.close();
  await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
