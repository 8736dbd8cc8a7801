// Fleet OTA end to end, in Chromium on the real back end: open the fleet
// view, start 5 simulated boards (each the real MicroPython OTA agent on the
// simulator, talking MQTT to the embedded aedes broker), create a release of
// the project, roll it out, and watch all 5 reach it in the dashboard.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFleetIde, type FleetIde } from './fleet-ide.js';
import { artifact } from './artifacts.js';

let ide: FleetIde;
let page: Page;

beforeAll(async () => {
  ide = await openFleetIde({
    name: 'fleet',
    project: 'beacon',
    // The agent runs a new main.py on trial and confirms once it returns: this one returns.
    files: { 'main.py': 'import beacon\nbeacon.hello()\n', 'beacon.py': 'VERSION = 2\n\ndef hello():\n    print("beacon", VERSION)\n' },
    viewport: { width: 1440, height: 900 },
  });
  page = ide.page;
}, 30_000);

afterAll(async () => {
  await ide?.close();
});

const rows = () => page.getByTestId('device-row');

describe('the fleet view, in Chromium', () => {
  it('opens from the toolbar in place of the editor, with the embedded broker running', async () => {
    await page.getByTestId('fleet-toggle').click();
    await page.getByTestId('fleet-view').waitFor({ timeout: 5000 });
    await expect.poll(() => page.getByTestId('fleet-broker').textContent(), { timeout: 15000 }).toBe(`Embedded broker on 0.0.0.0:${ide.brokerPort}`);
    expect(await page.getByTestId('fleet-broker').getAttribute('title')).toBe(`The fleet service is connected to mqtt://127.0.0.1:${ide.brokerPort}`);
    expect(await page.getByTestId('editor').isVisible()).toBe(false);
  });

  it('starts 5 simulated boards that connect and report release 0', async () => {
    await page.getByTestId('fleet-sim-count').fill('5');
    await page.getByTestId('fleet-simulate').click();
    await expect.poll(() => page.getByTestId('device-count').textContent(), { timeout: 90_000 }).toBe('5 shown · 5 online');
    expect(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-seq')))).toEqual(['0', '0', '0', '0', '0']);
  }, 120_000);

  it('creates a release of the project and rolls it out: all 5 reach it, the wave bar fills', async () => {
    await page.getByTestId('fleet-create-release').click();
    await expect.poll(() => page.getByTestId('fleet-release').locator('option').first().textContent(), { timeout: 15000 }).toMatch(/#\d+ beacon · 2 files/);
    const seq = (await page.getByTestId('fleet-release').inputValue()).trim();
    expect(await page.getByTestId('fleet-group').inputValue()).toBe('simulated');

    await page.getByTestId('fleet-start-rollout').click();
    await page.getByTestId('rollout-card').waitFor({ timeout: 10000 });
    // Live progress: some device is seen at a step before the end.
    await expect
      .poll(() => rows().evaluateAll((els) => els.some((e) => /downloading|verified|staged|trial|notified/.test(e.getAttribute('data-status') ?? ''))), { timeout: 60_000 })
      .toBe(true);
    await page.screenshot({ path: artifact('fleet-rollout-progress.png') });

    await expect.poll(() => rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-seq'))), { timeout: 180_000 }).toEqual([seq, seq, seq, seq, seq]);
    await expect.poll(() => page.getByTestId('rollout-state').textContent(), { timeout: 15000 }).toBe('completed');
    expect(await page.getByTestId('rollout-total').textContent()).toBe('5 / 5 updated');
    const bar = page.getByTestId('wave').first().getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('5');
    expect(await page.getByTestId('rollout-counts').textContent()).toContain('5 succeeded');
    expect(await page.getByTestId('device-error').count()).toBe(0);
    await expect.poll(() => page.getByTestId('audit-log').textContent()).toContain('rollout.completed');
    await page.screenshot({ path: artifact('fleet-rollout-done.png'), animations: 'disabled' });
  }, 240_000);

  it('shows each board rolling a crashing release back with the reason, and rolls the group back from the card', async () => {
    fs.writeFileSync(path.join(ide.projectDir, 'main.py'), 'raise RuntimeError("sensor missing")\n');
    await page.getByTestId('fleet-create-release').click();
    await expect.poll(() => page.getByTestId('fleet-release').locator('option').count(), { timeout: 15000 }).toBe(2);
    const good = (await rows().first().getAttribute('data-seq'))!;
    await page.getByTestId('fleet-start-rollout').click();
    await expect.poll(() => page.getByTestId('device-error').allTextContents(), { timeout: 120_000 }).toEqual(Array(5).fill(expect.stringMatching(/RuntimeError: sensor missing/)));
    expect(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(Array(5).fill('rolled_back'));
    expect(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-seq')))).toEqual(Array(5).fill(good));
    expect(await page.getByTestId('rollout-counts').textContent()).toContain('5 rolled back');
    await page.screenshot({ path: artifact('fleet-rolled-back.png') });

    await page.getByTestId('rollout-rollback').click();
    await expect.poll(() => page.getByTestId('rollout-card').getAttribute('data-rollout'), { timeout: 15000 }).not.toBe('2');
    await expect.poll(() => page.getByTestId('rollout-state').textContent(), { timeout: 120_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('device-error').count(), { timeout: 15000 }).toBe(0);
    expect(await page.getByTestId('audit-log').textContent()).toContain('rollout.rollback');
  }, 300_000);

  it('closes back to the editor', async () => {
    await page.getByTestId('fleet-toggle').click();
    await page.getByTestId('fleet-view').waitFor({ state: 'detached', timeout: 5000 });
    expect(await page.getByTestId('editor').isVisible()).toBe(true);
  });
});
