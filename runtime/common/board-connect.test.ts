// connectBoard against scripted links: the cases a real or simulated board
// cannot easily be made to show (silence, a bootloader's noise).
import { describe, expect, it } from 'vitest';
import { ConnectError, canHardReset, connectBoard, resetBySignals } from './board-connect.js';
import type { Link } from './link.js';

/** A link whose board answers each host write with `reply(bytes)`. */
function scriptedLink(reply: (written: Buffer) => string | null): Link & { written: Buffer[] } {
  const listeners = new Set<(d: Uint8Array) => void>();
  const written: Buffer[] = [];
  return {
    name: '/dev/ttyTEST',
    written,
    async write(data) {
      written.push(Buffer.from(data));
      const r = reply(Buffer.from(data));
      if (r !== null) setTimeout(() => listeners.forEach((l) => l(Buffer.from(r, 'latin1'))), 1);
    },
    onData(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onClose: () => () => undefined,
    close: async () => undefined,
  };
}

describe('connectBoard failures', () => {
  it('says nothing was received when the board is silent, within its budget', async () => {
    const link = scriptedLink(() => null);
    const t0 = Date.now();
    const err = (await connectBoard(link, { budgetMs: 1500 }).catch((e: unknown) => e)) as ConnectError;
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toMatch(/^no answer from \/dev\/ttyTEST within 2 s .*nothing was received/);
    expect(Date.now() - t0).toBeLessThan(2500);
    // It kept trying: the polite interrupt, then bursts of Ctrl-C.
    expect(err.tried[0]).toBe('interrupt');
    expect(err.tried).toContain('interrupt-burst');
  });

  it('shows the last bytes when the board answers with something that is not MicroPython', async () => {
    const link = scriptedLink(() => 'ets Jan  8 2013,rst cause:2, boot mode:(1,6)\r\nwaiting for download\r\n');
    const err = (await connectBoard(link, { budgetMs: 1200, hardReset: null }).catch((e: unknown) => e)) as ConnectError;
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toContain('waiting for download');
    expect(err.received.toString()).toContain('boot mode');
  });
});

describe('hard reset capability', () => {
  it('is detected on links that have hardReset()', () => {
    const plain = scriptedLink(() => null);
    expect(canHardReset(plain)).toBe(false);
    expect(canHardReset(Object.assign(plain, { hardReset: async () => undefined }))).toBe(true);
  });

  it('pulses RTS with DTR low, so an ESP resets without entering its bootloader', async () => {
    const seen: Array<[boolean, boolean]> = [];
    await resetBySignals(async (dtr, rts) => void seen.push([dtr, rts]), 5);
    expect(seen).toEqual([
      [false, true],
      [false, false],
    ]);
  });
});
