// The package browser end to end, in Chromium on the real back end and the
// simulated board, against a mip index served on 127.0.0.1 (MOTE_MIP_INDEX):
// search, install a package with a dependency (progress shown), run a program
// that imports it, remove it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mpyCrossV6 } from '../runtime/common/mpy-compile.js';
import { serveTestIndex, type TestIndex } from '../runtime/packages/test-index-server.js';
import { openIdePage, type IdePage } from './ide-page.js';

import type {} from '../renderer/src/test-hooks.js';
import { artifact } from './artifacts.js';


let ide: IdePage;
let project: string;
let index: TestIndex;
let page: Page;

beforeAll(async () => {
  // Published as .py and as .mpy compiled for the board (as micropython-lib does); the panel installs .mpy by default.
  index = await serveTestIndex({
    compiler: mpyCrossV6(),
    packages: [
      { name: 'greet', version: '1.0.0', description: 'Says hello in colour', files: { 'greet.py': "from colors import RED\ndef hello():\n    return 'hi ' + RED\n" }, deps: [['colors', '0.2']] },
      { name: 'colors', version: '0.2', description: 'Colour names', files: { 'colors.py': "RED = 'red'\n" } },
    ],
  });
  process.env.MOTE_MIP_INDEX = index.url;
  ide = await openIdePage({
    name: 'packages',
    files: { 'main.py': "import greet\nprint('>>', greet.hello())\n" },
    viewport: { width: 1440, height: 900 },
  });
  ({ projectDir: project, page } = ide);
}, 30_000);

afterAll(async () => {
  delete process.env.MOTE_MIP_INDEX;
  await ide?.close();
  await index?.close();
});

it('searches, installs with its dependency, runs a program that imports it, and removes it', async () => {
  await page.getByTestId('packages-toggle').click();
  await page.locator('[data-testid="package-result"][data-name="greet"]').waitFor({ timeout: 10000 });
  await page.getByTestId('package-search').fill('colour names');
  await expect.poll(() => page.getByTestId('package-result').count(), { timeout: 5000 }).toBe(1);
  await page.getByTestId('package-search').fill('greet');
  await expect.poll(() => page.getByTestId('package-result').count(), { timeout: 5000 }).toBe(1);

  await page.locator('[data-testid="package-result"][data-name="greet"] [data-testid="package-install"]').click();
  await page.locator('[data-testid="package-installed"][data-name="colors"]').waitFor({ timeout: 20000 });
  expect(await page.locator('[data-testid="package-installed"][data-name="greet"]').textContent()).toContain('1.0.0');
  const lock = JSON.parse(fs.readFileSync(path.join(project, 'mote.lock'), 'utf8')) as { packages: Record<string, { files: { path: string }[] }> };
  expect(Object.keys(lock.packages)).toEqual(['colors', 'greet']);
  expect(lock.packages.greet.files.map((f) => f.path)).toEqual(['greet.mpy']);
  await page.screenshot({ path: artifact('packages.png') });

  await page.getByTestId('run').click();
  await expect.poll(() => page.evaluate(() => window.__moteTerminalText?.() ?? ''), { timeout: 15000 }).toContain('>> hi red');

  await page.locator('[data-testid="package-installed"][data-name="greet"] [data-testid="package-remove"]').click();
  await expect.poll(() => page.getByTestId('package-installed').count(), { timeout: 15000 }).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(project, 'mote.lock'), 'utf8')).packages).toEqual({});
}, 90_000);
