// Serial file-transfer benchmark: BoardFs against an mpremote-style baseline,
// on the simulated board served on a real pty (socat) and opened with the real
// `serialport`, once at an emulated 115200 baud and once unthrottled.
// Run with `npx tsx bench/serial/run.ts` (BENCH_REPS=n for the number of
// runs per figure, default 3; the median is shown). KB = 1000 bytes; 115200
// baud 8N1 carries at most 11.52 KB/s each way.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { pyBytes, pyStr } from '../../runtime/common/py-literal.js';
import { RawRepl } from '../../runtime/common/raw-repl.js';
import { SerialLink } from '../../runtime/node/serial-link.js';
import { serveSimOnPty } from '../../runtime/sim/node/sim-pty.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-serial-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kbps = (bytes: number, ms: number) => bytes / ms; // bytes per ms = KB/s

/** ~50 KB of real Python source, cut at a line end; says where it came from. */
function pythonSample(): { data: Buffer; from: string } {
  const candidates = [
    path.join(import.meta.dirname, '../../node_modules/node-gyp/gyp/pylib/gyp/generator/make.py'),
    ...['3.13', '3.12', '3.11', '3.10'].map((v) => `/usr/lib/python${v}/argparse.py`),
  ];
  for (const c of candidates) {
    if (!fs.existsSync(c) || fs.statSync(c).size < 50000) continue;
    const text = fs.readFileSync(c);
    return { data: text.subarray(0, text.lastIndexOf(0x0a, 50000) + 1), from: path.basename(c) };
  }
  const own = path.join(import.meta.dirname, '../../runtime/sim/python');
  const text = fs.readdirSync(own).map((n) => fs.readFileSync(path.join(own, n), 'utf8')).join('\n');
  return { data: Buffer.from(text.repeat(Math.ceil(50000 / text.length)).slice(0, 50000)), from: 'runtime/sim/python (repeated)' };
}

/** How mpremote writes a file: one exec per 256-byte chunk as an escaped bytes literal. */
async function baselinePut(session: BoardSession, target: string, data: Uint8Array): Promise<void> {
  await session.exclusive(async (r) => {
    await r.execChecked(`f = open(${pyStr(target)}, 'wb')\nw = f.write`);
    for (let i = 0; i < data.length; i += 256) await r.execChecked(`w(${pyBytes(data.subarray(i, i + 256))})`);
    await r.execChecked('f.close()');
  });
}

/** How mpremote reads a file: eval of read(256), repeated, parsing the printed bytes repr. */
async function baselineGet(session: BoardSession, source: string): Promise<Buffer> {
  return session.exclusive(async (r) => {
    await r.execChecked(`f = open(${pyStr(source)}, 'rb')\nr = f.read`);
    const parts: Buffer[] = [];
    for (;;) {
      const chunk = parseBytesRepr((await r.execChecked('print(repr(r(256)))')).toString('latin1').trim());
      if (!chunk.length) break;
      parts.push(chunk);
    }
    await r.execChecked('f.close()');
    return Buffer.concat(parts);
  });
}

function parseBytesRepr(s: string): Buffer {
  const body = s.slice(2, -1);
  const out: number[] = [];
  const esc: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') out.push(body.charCodeAt(i));
    else if (body[i + 1] === 'x') (out.push(parseInt(body.slice(i + 2, i + 4), 16)), (i += 3));
    else out.push(esc[body[++i]]);
  }
  return Buffer.from(out);
}

const REPS = Number(process.env.BENCH_REPS ?? 3);

/** Median time of REPS runs; `check` validates each run's result. */
async function timed<T>(fn: () => Promise<T>, check: (r: T) => void = () => undefined): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    check(await fn());
    times.push(performance.now() - t);
  }
  return median(times);
}

interface Row {
  link: string;
  what: string;
  mote: string;
  baseline: string;
  ratio: string;
  target: string;
}
const rows: Row[] = [];

async function benchLink(baud: number | undefined, files: Array<{ name: string; data: Buffer; target?: number }>): Promise<void> {
  const label = baud ? `pty @ ${baud} baud` : 'pty, unthrottled';
  const dir = path.join(tmp, baud ? `b${baud}` : 'fast');
  fs.mkdirSync(dir, { recursive: true });
  const server = await serveSimOnPty({ ptyPath: path.join(dir, 'tty'), filesDir: path.join(dir, 'files'), baud });
  const link = await SerialLink.open({ path: server.ptyPath });
  try {
    // Time to connect: interrupt + enter the raw REPL on an idle board at its friendly prompt.
    const connects: number[] = [];
    for (let i = 0; i < 5; i++) {
      const repl = new RawRepl(link);
      const t = performance.now();
      await repl.enter();
      connects.push(performance.now() - t);
      await repl.exit();
      repl.dispose();
    }
    rows.push({ link: label, what: 'connect (enter raw REPL, idle board)', mote: `${median(connects).toFixed(1)} ms`, baseline: '', ratio: '', target: '' });

    const session = new BoardSession(link);
    const bfs = new BoardFs(session);
    await bfs.capabilities(); // asked once per connection; not part of a transfer
    for (const f of files) {
      const same = (what: string) => (b: Buffer) => {
        if (!b.equals(f.data)) throw new Error(`${f.name}: ${what} differs`);
      };
      const up = await timed(() => bfs.put(`/${f.name}`, f.data));
      const down = await timed(() => bfs.get(`/${f.name}`), same('download'));
      const bUp = await timed(() => baselinePut(session, `/base-${f.name}`, f.data));
      const bDown = await timed(() => baselineGet(session, `/base-${f.name}`), same('baseline round trip'));
      const size = `${f.name} (${(f.data.length / 1000).toFixed(0)} KB)`;
      const target = baud && f.target ? `>= ${f.target} KB/s, >= 3x` : '';
      rows.push({
        link: label,
        what: `upload ${size}`,
        mote: `${kbps(f.data.length, up).toFixed(2)} KB/s`,
        baseline: `${kbps(f.data.length, bUp).toFixed(2)} KB/s`,
        ratio: `${(bUp / up).toFixed(1)}x`,
        target,
      });
      rows.push({
        link: label,
        what: `download ${size}`,
        mote: `${kbps(f.data.length, down).toFixed(2)} KB/s`,
        baseline: `${kbps(f.data.length, bDown).toFixed(2)} KB/s`,
        ratio: `${(bDown / down).toFixed(1)}x`,
        target: '',
      });
    }
  } finally {
    await link.close();
    await server.close();
  }
}

const py = pythonSample();
const files = [
  { name: 'source.py', data: py.data, target: 8 },
  { name: 'random.bin', data: randomBytes(100_000), target: 7 },
];
try {
  await benchLink(115200, files);
  await benchLink(undefined, files);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const head: Row = { link: 'link', what: 'operation', mote: 'Mote BoardFs', baseline: 'mpremote-style', ratio: 'ratio', target: 'target' };
const keys = Object.keys(head) as Array<keyof Row>;
const width = (k: keyof Row) => Math.max(...[head, ...rows].map((r) => r[k].length));
const line = (r: Row) => `| ${keys.map((k) => r[k].padEnd(width(k))).join(' | ')} |`;
console.log(`Python source: ${py.from}, ${py.data.length} bytes. KB = 1000 bytes. Median of ${REPS} runs.`);
console.log(line(head));
console.log(`|${keys.map((k) => '-'.repeat(width(k) + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
