// Turns terminal output into plot samples, as Mu's and Thonny's plotters do:
// a line that is only numbers - `(1, 2.5, -3)`, `1,2.5,-3`, `1 2.5 -3` - or
// named numbers - `temp:22.5 hum:45` - is one sample; any other line is text
// and ignored. Bytes arrive in arbitrary chunks, so lines are assembled
// incrementally and a UTF-8 character split across chunks is kept whole.

/** Series beyond this many in one line are ignored (a chart of 50 lines says nothing). */
export const MAX_SERIES = 8;
/** A line longer than this is not a sample; its bytes are dropped until the next newline. */
const MAX_LINE = 512;

export interface PlotSample {
  values: number[];
  /** Names from `name:value` lines, one per value; null for bare numbers. */
  names: string[] | null;
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?(?:inf|nan)$/;
const NAMED = /^([A-Za-z_][\w.-]{0,31})\s*[:=]\s*(\S+)$/;

function toNumber(token: string): number | null {
  if (!NUMBER.test(token)) return null;
  const lower = token.toLowerCase();
  if (lower.endsWith('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower.endsWith('nan')) return NaN;
  return Number(token);
}

/** One printed line as a sample, or null when the line is not purely numbers. */
export function parsePlotLine(raw: string): PlotSample | null {
  let line = raw.trim();
  if (line.length === 0 || line.length > MAX_LINE) return null;
  // A printed tuple or list: (1, 2) / [1, 2]; a 1-tuple prints as (1,).
  const open = line[0];
  if (open === '(' || open === '[') {
    const close = open === '(' ? ')' : ']';
    if (line[line.length - 1] !== close) return null;
    line = line.slice(1, -1).trim();
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (line.length === 0) return null;
  }
  const parts = line.includes(',') ? line.split(',').map((p) => p.trim()) : line.split(/\s+/);
  if (parts.length === 0 || parts.some((p) => p.length === 0)) return null;

  const values: number[] = [];
  let names: string[] | null = null;
  for (let i = 0; i < parts.length && values.length < MAX_SERIES; i++) {
    const part = parts[i];
    const bare = toNumber(part);
    if (bare !== null) {
      if (names) return null; // mixing named and bare values is text, not data
      values.push(bare);
      continue;
    }
    // `name: value` split by whitespace arrives as "name:" then "value".
    let m = NAMED.exec(part);
    if (!m && part.endsWith(':') && i + 1 < parts.length) {
      m = NAMED.exec(part + parts[i + 1]);
      if (m) i++;
    }
    if (!m) return null;
    const v = toNumber(m[2]);
    if (v === null || (values.length > 0 && !names)) return null;
    names ??= [];
    names.push(m[1]);
    values.push(v);
  }
  return { values, names };
}

/** Reassembles lines from byte chunks and hands each parsed sample on. */
export class PlotLineDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private partial = '';
  /** The current line grew past MAX_LINE: skip to its end. */
  private overlong = false;

  constructor(private readonly onSample: (s: PlotSample) => void) {}

  push(chunk: Uint8Array): void {
    const text = this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (!this.overlong) {
        const line = this.partial + piece;
        if (line.length <= MAX_LINE) {
          const s = parsePlotLine(line);
          if (s) this.onSample(s);
        }
      }
      this.partial = '';
      this.overlong = false;
    }
    if (this.overlong) return;
    this.partial += text.slice(start);
    if (this.partial.length > MAX_LINE) {
      this.partial = '';
      this.overlong = true;
    }
  }

  /** Forgets a half-received line (after Clear). */
  reset(): void {
    this.partial = '';
    this.overlong = false;
  }
}
