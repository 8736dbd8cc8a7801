// Values pasted into Python source sent to a board. Never build Python with
// string concatenation of user input: quote it here.

/**
 * A Python str literal for any JS string. JSON string syntax is a subset of
 * Python's (\" \\ \n \uXXXX ...), and non-ASCII characters stay as UTF-8,
 * which MicroPython source accepts.
 */
export function pyStr(s: string): string {
  return JSON.stringify(s);
}

/** A Python bytes literal that is pure ASCII (safe in raw mode, no 0x01-0x04). */
export function pyBytes(b: Uint8Array): string {
  let out = "b'";
  for (const c of b) {
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27) out += "\\'";
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + "'";
}
