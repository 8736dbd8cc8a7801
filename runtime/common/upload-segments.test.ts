import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { eightBitLiteral, encodeSegments, packBatches, type Segment } from './upload-segments.js';

/** What Python makes of a bytes literal: the escapes eightBitLiteral emits, and raw bytes. */
function evalLiteral(lit: Buffer): Buffer {
  expect(lit.subarray(0, 2).toString()).toBe("b'");
  expect(lit[lit.length - 1]).toBe(0x27);
  const out: number[] = [];
  for (let i = 2; i < lit.length - 1; i++) {
    const c = lit[i];
    expect([0, 1, 2, 3, 4, 5, 0x0a, 0x0d, 0x11, 0x13, 0x27]).not.toContain(c);
    if (c !== 0x5c) out.push(c);
    else if (lit[i + 1] === 0x78) (out.push(parseInt(lit.subarray(i + 2, i + 4).toString(), 16)), (i += 3));
    else out.push(lit[++i]);
  }
  return Buffer.from(out);
}

function decode(segments: Segment[]): Buffer {
  return Buffer.concat(
    segments.map((s) => {
      const body = evalLiteral(s.literal);
      const b = s.base64 ? Buffer.from(body.toString('latin1'), 'base64') : body;
      // The board inflates with exactly this window; zlib refuses references beyond it.
      return s.wbits ? inflateRawSync(b, { windowBits: Math.max(9, s.wbits) }) : b;
    }),
  );
}

describe('upload segments', () => {
  it('deflates text in segments no longer than the window, and they inflate back', async () => {
    const text = Buffer.from('def f(x):\n    return x * 2\n'.repeat(800));
    for (const enc of ['bytes', 'base64'] as const) {
      const segs = await encodeSegments(text, 10, enc);
      expect(segs.every((s) => s.wbits === 10 && s.rawLength <= 1024)).toBe(true);
      expect(segs.reduce((n, s) => n + s.literal.length, 0)).toBeLessThan(text.length / 4);
      expect(decode(segs).equals(text)).toBe(true);
    }
  });

  it('8-bit literals carry every byte value, escaping only what the raw REPL or lexer would take', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const lit = eightBitLiteral(all);
    expect(evalLiteral(lit).equals(all)).toBe(true);
    // 10 bytes as \xNN, quote and backslash as two bytes, the rest as they are.
    expect(lit.length).toBe(3 + 244 + 10 * 4 + 2 * 2);
  });

  it('sends random data as plain base64, because deflate would not shrink it', async () => {
    const data = randomBytes(10000);
    const segs = await encodeSegments(data, 12, 'bytes');
    expect(segs.every((s) => s.wbits === 0)).toBe(true);
    expect(decode(segs).equals(data)).toBe(true);
    expect(decode(await encodeSegments(data, 0, 'base64')).equals(data)).toBe(true);
  });

  it('packs segments into batches that stay within the budget (a single oversize segment travels alone)', async () => {
    const segs = await encodeSegments(randomBytes(20000), 0, 'bytes');
    const batches = packBatches(segs, 9000);
    expect(batches.flat()).toEqual(segs);
    for (const b of batches) expect(b.length === 1 || b.reduce((n, s) => n + s.literal.length, 0) <= 9000).toBe(true);
    expect(packBatches([], 9000)).toEqual([]);
  });
});
