import { describe, expect, it } from 'vitest';
import { parseBytesRepr } from './py-bytes-repr.js';

describe('parseBytesRepr', () => {
  it('reads both quote styles and every escape Python prints', () => {
    expect(parseBytesRepr(`b'it\\'s\\n\\r\\t\\\\ \\x00\\xff'`)).toEqual(Buffer.from([...Buffer.from("it's\n\r\t\\ "), 0, 255]));
    expect(parseBytesRepr(`b"it's"`)).toEqual(Buffer.from("it's"));
    expect(parseBytesRepr(`b''`)).toEqual(Buffer.alloc(0));
  });

  it('refuses what is not a bytes repr', () => {
    expect(() => parseBytesRepr('aGVsbG8=')).toThrow(/not a bytes repr/);
    expect(() => parseBytesRepr(`b'\\q'`)).toThrow(/unknown escape/);
  });
});
