// Socket data crosses the Python/JS bridge as hex text: the wasm port hands
// JS a Python bytes object only as a proxy that costs a call per element,
// while bytes.hex() / bytes.fromhex() run in C. No Buffer: the worker also
// runs in browsers.

const NIBBLE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[0x30 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[0x61 + i] = NIBBLE[0x41 + i] = 10 + i;
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes of a hex string, or null when it is not whole hex bytes. */
export function hexToBytes(s: string): Uint8Array | null {
  if (s.length % 2) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const a = s.charCodeAt(2 * i);
    const b = s.charCodeAt(2 * i + 1);
    const hi = a < 256 ? NIBBLE[a] : -1;
    const lo = b < 256 ? NIBBLE[b] : -1;
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  const parts = new Array<string>(b.length);
  for (let i = 0; i < b.length; i++) parts[i] = BYTE_HEX[b[i]];
  return parts.join('');
}
