// Keyboard focus in the shared modal frame, in Chromium on the real back end:
// Tab and Shift+Tab go round the open dialog instead of into the page behind
// it, focus moved behind it comes back, and Escape closes it wherever focus
// is, giving focus back to the button that opened it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIdePage, type IdePage } from './ide-page.js';

let ide: IdePage;
let page: Page;

beforeAll(async () => {
  ide = await openIdePage({ name: 'dialog-focus' });
  ({ page } = ide);
}, 30_000);

afterAll(() => ide?.close());

/** The data-testid of the dialog holding focus, or null when focus is outside every dialog. */
const focusedDialog = () => page.evaluate(() => document.activeElement?.closest('[role=dialog]')?.getAttribute('data-testid') ?? null);
/** Something to tell the focused element by (it is not always a testid'd one). */
const focusedId = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName}|${el.getAttribute('data-testid') ?? ''}|${el.getAttribute('data-profile') ?? el.getAttribute('data-id') ?? ''}|${el.textContent?.trim().slice(0, 30) ?? ''}` : null;
  });
const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

/** How many controls Tab can reach in the dialog, counted independently of the trap's own code. */
const tabbableCount = (testId: string) =>
  page.evaluate((id) => {
    const root = document.querySelector(`[data-testid="${id}"]`)!;
    return Array.from(root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex]')).filter(
      (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
    ).length;
  }, testId);

/** Tab (or Shift+Tab) round the dialog more times than it has controls: focus never leaves it and comes round to where it started. */
async function goRound(testId: string, key: 'Tab' | 'Shift+Tab') {
  const count = await tabbableCount(testId);
  expect(count).toBeGreaterThan(1);
  const start = await focusedId();
  const seen = new Set<string | null>();
  for (let i = 1; i <= count + 2; i++) {
    await page.keyboard.press(key);
    expect(await focusedDialog()).toBe(testId);
    seen.add(await focusedId());
    if (i === count) expect(await focusedId()).toBe(start);
  }
  // Every control was visited, not just a couple of them over and over.
  expect(seen.size).toBe(count);
}

async function blurToBody() {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
}

describe('focus in a modal dialog, in Chromium', () => {
  it('keeps Tab and Shift+Tab inside the new-project dialog', async () => {
    await page.getByTestId('new-project').click();
    const dialog = page.getByTestId('new-project-dialog');
    await dialog.waitFor({ timeout: 5000 });
    await expect.poll(focusedTestId).toBe('new-project-name');
    await goRound('new-project-dialog', 'Tab');
    await goRound('new-project-dialog', 'Shift+Tab');
  });

  it('brings focus moved into the page behind back to where it was in the dialog', async () => {
    await page.getByTestId('new-project-name').focus();
    await page.getByTestId('run').focus();
    expect(await focusedTestId()).toBe('new-project-name');
  });

  it('takes Tab from the page body back into the dialog, at either end', async () => {
    await blurToBody();
    await page.keyboard.press('Tab');
    expect(await focusedTestId()).toBe('new-project-name');
    await blurToBody();
    await page.keyboard.press('Shift+Tab');
    expect(await focusedTestId()).toBe('new-project-create');
  });

  it('closes on Escape with focus on the page body and gives focus back to the opener', async () => {
    await blurToBody();
    await page.keyboard.press('Escape');
    await page.getByTestId('new-project-dialog').waitFor({ state: 'detached', timeout: 5000 });
    expect(await focusedTestId()).toBe('new-project');
  });

  it('still closes on Escape from a field inside the dialog', async () => {
    await page.getByTestId('new-project').click();
    await expect.poll(focusedTestId, { timeout: 5000 }).toBe('new-project-name');
    await page.keyboard.press('Escape');
    await page.getByTestId('new-project-dialog').waitFor({ state: 'detached', timeout: 5000 });
    expect(await focusedTestId()).toBe('new-project');
  });

  it('does the same in the examples gallery, whose panel takes focus first', async () => {
    await page.getByTestId('examples').click();
    const cards = page.getByTestId('example-card');
    await expect.poll(() => cards.count(), { timeout: 5000 }).toBeGreaterThan(1);
    expect(await focusedDialog()).toBe('gallery');
    // From the panel itself, Shift+Tab goes to the last card rather than the page.
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(await cards.last().getAttribute('data-id'));
    await goRound('gallery', 'Tab');
    await goRound('gallery', 'Shift+Tab');
    await blurToBody();
    await page.keyboard.press('Escape');
    await page.getByTestId('gallery').waitFor({ state: 'detached', timeout: 5000 });
    expect(await focusedTestId()).toBe('examples');
  });
});
