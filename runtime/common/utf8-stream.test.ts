import { describe, expect, it } from 'vitest';
import { Utf8Stream } from './utf8-stream.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** Feeds `data` in the given chunk sizes (cycled) and returns all text, flushed at the end. */
function decodeInChunks(data: Uint8Array, sizes: number[]): string {
  const d = new Utf8Stream();
  let text = '';
  for (let i = 0, k = 0; i < data.length; k++) {
    const n = sizes[k % sizes.length];
    text += d.write(data.subarray(i, i + n));
    i += n;
  }
  return text + d.flush();
}

describe('Utf8Stream', () => {
  it('passes ASCII and whole characters straight through', () => {
    expect(new Utf8Stream().write(utf8('hé 世界 🎉\r\n'))).toBe('hé 世界 🎉\r\n');
  });

  it('holds a character split across chunks until its last byte arrives', () => {
    const d = new Utf8Stream();
    const e4b896 = utf8('世');
    expect(d.write(e4b896.subarray(0, 1))).toBe('');
    expect(d.pending).toBe(1);
    expect(d.write(e4b896.subarray(1, 2))).toBe('');
    expect(d.pending).toBe(2);
    expect(d.write(Uint8Array.of(e4b896[2], 0x21))).toBe('世!');
    expect(d.pending).toBe(0);
  });

  it('splits a four-byte character one byte at a time', () => {
    expect(decodeInChunks(utf8('a🎉b'), [1])).toBe('a🎉b');
  });

  it('replaces bytes that cannot start a character, one U+FFFD each, and keeps going', () => {
    expect(new Utf8Stream().write(bytes(0x41, 0xff, 0xfe, 0x80, 0xc0, 0x42))).toBe('A\ufffd\ufffd\ufffd\ufffdB');
  });

  it('ends a truncated sequence at the byte that breaks it, which then counts on its own', () => {
    // E4 B8 then 'x': one error for the truncated pair, then x.
    expect(new Utf8Stream().write(bytes(0xe4, 0xb8, 0x78))).toBe('\ufffdx');
    // A lead byte after a lead byte: the first is an error, the second starts a character.
    expect(new Utf8Stream().write(bytes(0xc3, 0xc3, 0xa9))).toBe('\ufffdé');
  });

  it('rejects overlong forms, surrogates and code points above U+10FFFF', () => {
    const d = new Utf8Stream();
    expect(d.write(bytes(0xe0, 0x80, 0x80))).toBe('\ufffd\ufffd\ufffd'); // overlong
    expect(d.write(bytes(0xed, 0xa0, 0x80))).toBe('\ufffd\ufffd\ufffd'); // U+D800
    expect(d.write(bytes(0xf4, 0x90, 0x80, 0x80))).toBe('\ufffd\ufffd\ufffd\ufffd'); // > U+10FFFF
  });

  it('flush gives up on a held character with one U+FFFD', () => {
    const d = new Utf8Stream();
    expect(d.write(bytes(0x6f, 0x6b, 0xe4, 0xb8))).toBe('ok');
    expect(d.flush()).toBe('\ufffd');
    expect(d.flush()).toBe('');
    expect(d.write(utf8('é'))).toBe('é');
  });

  it('decodes like TextDecoder, whatever the chunking, on random bytes mixed with text', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    for (let round = 0; round < 200; round++) {
      const parts: number[] = [];
      while (parts.length < 200) {
        if (rand() < 0.5) parts.push(...utf8(['é', '世', '🎉', 'abc', '\r\n'][Math.floor(rand() * 5)]));
        else parts.push(Math.floor(rand() * 256));
      }
      const data = Uint8Array.from(parts);
      const want = new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
      const sizes = [1 + Math.floor(rand() * 7), 1 + Math.floor(rand() * 3)];
      expect(decodeInChunks(data, sizes)).toBe(want);
    }
  });

  it('handles a large chunk in one call', () => {
    const big = utf8('世'.repeat(50000));
    expect(new Utf8Stream().write(big)).toBe('世'.repeat(50000));
  });
});
