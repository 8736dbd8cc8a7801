// Reads what the board prints for repr(some_bytes): b'...' or b"...", with
// \\ \' \" \n \r \t and \xNN escapes, as MicroPython and CPython print them.

const SIMPLE: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34 };

export function parseBytesRepr(text: string): Buffer {
  const q = text[1];
  if (text[0] !== 'b' || (q !== "'" && q !== '"') || text[text.length - 1] !== q) throw new Error(`not a bytes repr: ${text.slice(0, 40)}`);
  const out = Buffer.allocUnsafe(text.length);
  let o = 0;
  for (let i = 2; i < text.length - 1; i++) {
    const c = text[i];
    if (c !== '\\') out[o++] = c.charCodeAt(0);
    else if (text[i + 1] === 'x') {
      out[o++] = parseInt(text.slice(i + 2, i + 4), 16);
      i += 3;
    } else {
      const v = SIMPLE[text[++i]];
      if (v === undefined) throw new Error(`unknown escape \\${text[i]} in a bytes repr`);
      out[o++] = v;
    }
  }
  return out.subarray(0, o);
}
