// Waiting on what the IDE's terminal shows, through the renderer's test hook
// (renderer/src/test-hooks.ts). xterm.js parses bytes asynchronously, so this polls.
import type { Page } from 'playwright-core';
import type {} from '../renderer/src/test-hooks.js';

export async function waitForTerminal(page: Page, pattern: RegExp, timeout = 10000): Promise<void> {
  await page.waitForFunction(
    ([src, flags]) => new RegExp(src, flags).test(window.__moteTerminalText?.() ?? ''),
    [pattern.source, pattern.flags] as const,
    { timeout },
  );
}
