// What board is this? One exec gathers everything, because every exec costs a
// round trip and old boards are slow. Old firmware has no json module
// (MicroPython 1.9.2 on the micro:bit), so the board prints repr() of a dict
// behind a marker and we parse that Python literal here, ignoring any other
// output (a boot.py that prints, a stray prompt).

import type { RawRepl } from './raw-repl.js';

export interface BoardInfo {
  /** sys.implementation.name, e.g. "micropython". */
  implementation: string;
  /** "1.9.2", "1.27.0", "1.29.0-preview". */
  version: string;
  /** sys.platform: "rp2", "esp32", "microbit", "webassembly"... */
  platform: string;
  /** sys.implementation._machine, else os.uname().machine: "Raspberry Pi Pico W with RP2040". */
  machine: string | null;
  /** The .mpy ABI (sys.implementation._mpy), absent on old firmware. */
  mpy: number | null;
  /** sys.implementation._build (v1.25+). */
  build: string | null;
  uname: { sysname: string; nodename: string; release: string; version: string; machine: string } | null;
  /** Heap free and in use after a gc.collect(), in bytes. */
  memFree: number | null;
  memAlloc: number | null;
  /** Size and free space of the filesystem at '/', when os.statvfs exists. */
  fsSize: number | null;
  fsFree: number | null;
}

const MARKER = 'MOTE-ID ';

// Compatible with MicroPython 1.9 onwards: no f-strings, no json, getattr with
// a default, everything inside a function so no names are left in __main__.
export const IDENTIFY_SOURCE = `def _mote_id():
 import sys, gc
 try:
  import os
 except ImportError:
  import uos as os
 i = sys.implementation
 d = {'name': i.name, 'version': i.version, 'platform': sys.platform}
 for k in ('_machine', '_mpy', '_build'):
  d[k] = getattr(i, k, None)
 try:
  u = os.uname()
  d['uname'] = (u[0], u[1], u[2], u[3], u[4])
 except Exception:
  pass
 try:
  gc.collect()
  d['mem'] = (gc.mem_free(), gc.mem_alloc())
 except Exception:
  pass
 try:
  s = os.statvfs('/')
  d['statvfs'] = (s[0], s[1], s[2], s[3])
 except Exception:
  pass
 print(${JSON.stringify(MARKER)} + repr(d))
_mote_id()
del _mote_id
`;

export async function identifyBoard(repl: RawRepl, timeoutMs = 10000): Promise<BoardInfo> {
  const out = await repl.execChecked(IDENTIFY_SOURCE, { timeoutMs });
  return parseIdentify(out.toString('latin1'));
}

export class IdentifyError extends Error {
  constructor(message: string, readonly output: string) {
    super(`${message}; the board printed ${JSON.stringify(output.slice(-300))}`);
    this.name = 'IdentifyError';
  }
}

/** Parses the identify program's output (latin1 text: bytes stay bytes until the literal is parsed). */
export function parseIdentify(output: string): BoardInfo {
  const line = output.split(/\r?\n/).find((l) => l.startsWith(MARKER));
  if (!line) throw new IdentifyError('the identify program printed no MOTE-ID line', output);
  let d: PyValue;
  try {
    d = parsePyLiteral(line.slice(MARKER.length));
  } catch (e) {
    throw new IdentifyError(`cannot read the identify line (${(e as Error).message})`, output);
  }
  if (!isDict(d)) throw new IdentifyError('the identify line is not a dict', output);

  const version = Array.isArray(d.version) ? d.version : [];
  const nums = version.filter((v): v is number => typeof v === 'number');
  // (1, 29, 0, 'preview') -> "1.29.0-preview"; (1, 22, 0, '') -> "1.22.0"
  const tag = version.find((v): v is string => typeof v === 'string');
  const u = Array.isArray(d.uname) && d.uname.length === 5 ? d.uname.map(String) : null;
  const mem = numbers(d.mem);
  const vfs = numbers(d.statvfs);
  // statvfs: f_bsize, f_frsize, f_blocks, f_bfree; sizes are in fragments.
  const frag = vfs ? vfs[1] || vfs[0] : 0;
  return {
    implementation: str(d.name) ?? 'unknown',
    version: nums.join('.') + (tag ? `-${tag}` : ''),
    platform: str(d.platform) ?? 'unknown',
    machine: str(d._machine) ?? u?.[4] ?? null,
    mpy: typeof d._mpy === 'number' ? d._mpy : null,
    build: str(d._build),
    uname: u ? { sysname: u[0], nodename: u[1], release: u[2], version: u[3], machine: u[4] } : null,
    memFree: mem?.[0] ?? null,
    memAlloc: mem?.[1] ?? null,
    fsSize: vfs ? frag * vfs[2] : null,
    fsFree: vfs ? frag * vfs[3] : null,
  };
}

function str(v: PyValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function numbers(v: PyValue | undefined): number[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;
}

function isDict(v: PyValue): v is PyDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- A parser for the Python literals repr() prints -------------------------

export type PyValue = string | number | boolean | null | PyValue[] | PyDict;
export interface PyDict {
  [key: string]: PyValue;
}

/**
 * Parses repr() output of str, bytes, int, float, None, True, False, tuple,
 * list and dict (keys become strings). Strings come back as JS strings:
 * UTF-8 in the text and \x escapes of non-unicode builds (which escape each
 * byte of a UTF-8 character) both decode to the right characters. Bytes come
 * back as a string of one character per byte (latin1).
 */
export function parsePyLiteral(text: string): PyValue {
  const p = new LiteralParser(text);
  const v = p.value();
  p.end();
  return v;
}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  end(): void {
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected text after the value');
  }

  value(): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.dict();
    if (c === '(') return this.seq(')');
    if (c === '[') return this.seq(']');
    if (c === "'" || c === '"') return this.string(false);
    if (c === 'b' && (this.s[this.i + 1] === "'" || this.s[this.i + 1] === '"')) {
      this.i++;
      return this.string(true);
    }
    const word = /^(None|True|False|-?(?:\d+\.?\d*(?:e[+-]?\d+)?|inf|nan))/.exec(this.s.slice(this.i));
    if (!word) this.fail('expected a value');
    this.i += word[0].length;
    if (word[0] === 'None') return null;
    if (word[0] === 'True' || word[0] === 'False') return word[0] === 'True';
    return Number(word[0].replace('inf', 'Infinity'));
  }

  private dict(): PyDict {
    const out: PyDict = {};
    this.i++;
    for (;;) {
      this.ws();
      if (this.eat('}')) return out;
      const k = this.value();
      this.ws();
      if (!this.eat(':')) this.fail("expected ':'");
      out[String(k)] = this.value();
      this.ws();
      if (!this.eat(',') && this.s[this.i] !== '}') this.fail("expected ',' or '}'");
    }
  }

  private seq(close: string): PyValue[] {
    const out: PyValue[] = [];
    this.i++;
    for (;;) {
      this.ws();
      if (this.eat(close)) return out;
      out.push(this.value());
      this.ws();
      if (!this.eat(',') && this.s[this.i] !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  // Collects the literal's bytes (text as UTF-8, \x escapes as single bytes).
  // A str is decoded as UTF-8 at the end (latin1 if that fails); bytes come
  // back as one character per byte.
  private string(isBytes: boolean): string {
    const q = this.s[this.i++];
    const bytes: number[] = [];
    const text = (t: string) => bytes.push(...Buffer.from(t, 'latin1'));
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated string');
      const c = this.s[this.i++];
      if (c === q) break;
      if (c !== '\\') {
        text(c);
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };
      if (e in simple) text(simple[e]);
      else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.s.slice(this.i, this.i + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail('bad escape');
        this.i += n;
        const cp = parseInt(hex, 16);
        if (e === 'x') bytes.push(cp);
        else bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      } else this.fail('bad escape');
    }
    const b = Buffer.from(bytes);
    if (isBytes) return b.toString('latin1');
    const utf8 = b.toString('utf8');
    return utf8.includes('\ufffd') && !b.includes(Buffer.from('\ufffd')) ? b.toString('latin1') : utf8;
  }

  private ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  private eat(c: string): boolean {
    if (this.s[this.i] !== c) return false;
    this.i++;
    return true;
  }

  private fail(why: string): never {
    throw new Error(`${why} at column ${this.i + 1}`);
  }
}
