// Bytes cross the Python/JS bridge as hex strings. The wasm port hands JS a
// Python bytes object as a proxy whose every element costs a call into the
// interpreter (1.6 ms for 1 KiB, measured), while binascii.hexlify on the
// Python side and a hex string back cost about 0.1 ms: an OLED frame per
// call stays cheap. The worker also runs in browsers, so no Buffer here.

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[0x30 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[0x61 + i] = NIBBLE[0x41 + i] = 10 + i;
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes from a hex string, or null when it is not whole hex bytes. */
export function fromHex(s: string): Uint8Array | null {
  if (typeof s !== 'string' || s.length % 2) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = NIBBLE[s.charCodeAt(2 * i) & 0x7f];
    const lo = NIBBLE[s.charCodeAt(2 * i + 1) & 0x7f];
    if (hi < 0 || lo < 0 || s.charCodeAt(2 * i) > 0x7f || s.charCodeAt(2 * i + 1) > 0x7f) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += BYTE_HEX[b[i]];
  return s;
}
