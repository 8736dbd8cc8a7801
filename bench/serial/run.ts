// Serial file-transfer benchmark: BoardFs against an mpremote-style baseline,
// on the simulated board served on a real pty (socat) and opened with the real
// `serialport`, once at an emulated 115200 baud and once unthrottled.
// Also real MicroPython 1.9.2 micro:bit firmware under qemu (its UART on a
// pty; small files, as the board has ~9 KB of heap and a flat filesystem).
// Run with `npx tsx bench/serial/run.ts` (BENCH_REPS=n for the number of
// runs per figure, default 3; the median is shown; `--only qemu` or
// `--only sim` for one part). KB = 1000 bytes; 115200 baud 8N1 carries at most
// 11.52 KB/s each way.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectBoard } from '../../runtime/common/board-connect.js';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { pyBytes, pyStr } from '../../runtime/common/py-literal.js';
import { RawRepl } from '../../runtime/common/raw-repl.js';
import { qemuMicrobitMissing, startQemuMicrobit } from '../../runtime/node/qemu-microbit.js';
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
async function baselinePut(session: BoardSession, target: string, data: Uint8Array, chunk = 256): Promise<void> {
  await session.exclusive(async (r) => {
    await r.execChecked(`f = open(${pyStr(target)}, 'wb')\nw = f.write`);
    for (let i = 0; i < data.length; i += chunk) await r.execChecked(`w(${pyBytes(data.subarray(i, i + chunk))})`);
    await r.execChecked('f.close()');
  });
}

/** How mpremote reads a file: eval of read(256), repeated, parsing the printed bytes repr. */
async function baselineGet(session: BoardSession, source: string, size = 256): Promise<Buffer> {
  return session.exclusive(async (r) => {
    await r.execChecked(`f = open(${pyStr(source)}, 'rb')\nr = f.read`);
    const parts: Buffer[] = [];
    for (;;) {
      const chunk = parseBytesRepr((await r.execChecked(`print(repr(r(${size})))`)).toString('latin1').trim());
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
// The micro:bit figures are small files, quick and noisy: at least 7 runs each.
const QEMU_REPS = Math.max(REPS, 7);

/** Median time of REPS runs; `check` validates each run's result. */
async function timed<T>(fn: () => Promise<T>, check: (r: T) => void = () => undefined, reps = REPS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
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

/** Same measurements on real MicroPython 1.9.2 (micro:bit) under qemu. */
async function benchQemu(files: Array<{ name: string; data: Buffer }>): Promise<void> {
  const label = 'qemu micro:bit, MP 1.9.2';
  const missing = qemuMicrobitMissing();
  if (missing) {
    rows.push({ link: label, what: 'all', mote: `not measured: ${missing}`, baseline: '', ratio: '', target: '' });
    return;
  }
  const qemu = await startQemuMicrobit();
  const link = await SerialLink.open({ path: qemu.ptyPath });
  try {
    // The first connect waits for the boot and identifies the board (and finds out there is no raw-paste).
    const first = await connectBoard(link);
    rows.push({ link: label, what: 'first connect + identify (after boot)', mote: `${first.totalMs.toFixed(0)} ms`, baseline: '', ratio: '', target: '' });
    const connects: number[] = [];
    const identifies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const repl = new RawRepl(link);
      const t = performance.now();
      await repl.enter();
      connects.push(performance.now() - t);
      await repl.exit();
      repl.dispose();
      identifies.push((await connectBoard(link)).totalMs);
    }
    rows.push({ link: label, what: 'connect (enter raw REPL, idle board)', mote: `${median(connects).toFixed(1)} ms`, baseline: '', ratio: '', target: '' });
    rows.push({ link: label, what: 'connect + identify (connectBoard, idle)', mote: `${median(identifies).toFixed(1)} ms`, baseline: '', ratio: '', target: '' });

    const session = new BoardSession(link);
    const bfs = new BoardFs(session);
    await bfs.capabilities();
    try {
      for (const f of files) {
        const same = (what: string) => (b: Buffer) => {
          if (b.equals(f.data)) return;
          let at = 0;
          while (at < b.length && b[at] === f.data[at]) at++;
          throw new Error(`${f.name}: ${what} differs (${b.length} of ${f.data.length} bytes, first difference at ${at})`);
        };
        const size = `${f.name} (${f.data.length} B)`;
        // Each figure on its own: one that fails (e.g. MemoryError on 9 KB of heap) is printed with its reason.
        const measure = async (fn: () => Promise<number>): Promise<{ ms: number } | { why: string }> => {
          try {
            return { ms: await fn() };
          } catch (e) {
            return { why: `impossible: ${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 80)}` };
          }
        };
        const up = await measure(() => timed(() => bfs.put(`/${f.name}`, f.data), undefined, QEMU_REPS));
        if ('why' in up) await baselinePut(session, f.name, f.data); // so that the download can still be measured
        const down = await measure(() => timed(() => bfs.get(`/${f.name}`), same('download'), QEMU_REPS));
        // mpremote-style, adapted to this firmware: flat names (no leading '/'); 256-byte chunks still compile in its heap.
        const bUp = await measure(() => timed(() => baselinePut(session, `base-${f.name}`, f.data), undefined, QEMU_REPS));
        const bDown = await measure(() => timed(() => baselineGet(session, `base-${f.name}`), same('baseline round trip'), QEMU_REPS));
        const cell = (m: { ms: number } | { why: string }) => ('ms' in m ? `${kbps(f.data.length, m.ms).toFixed(2)} KB/s` : m.why);
        const ratio = (b: { ms: number } | { why: string }, m: { ms: number } | { why: string }) => ('ms' in b && 'ms' in m ? `${(b.ms / m.ms).toFixed(1)}x` : 'n/a');
        rows.push({ link: label, what: `upload ${size}`, mote: cell(up), baseline: cell(bUp), ratio: ratio(bUp, up), target: '' });
        rows.push({ link: label, what: `download ${size}`, mote: cell(down), baseline: cell(bDown), ratio: ratio(bDown, down), target: '' });
      }
    } finally {
      await session.exclusive((r) => r.execChecked('import os\nfor n in os.listdir():\n    os.remove(n)')).catch(() => undefined);
    }
  } finally {
    await link.close();
    await qemu.stop();
  }
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'qemu' && only !== 'sim') throw new Error(`--only takes qemu or sim, not ${only}`);
const py = pythonSample();
const files = [
  { name: 'source.py', data: py.data, target: 8 },
  { name: 'random.bin', data: randomBytes(100_000), target: 7 },
];
// Small files for the micro:bit: ~2 KB of the same source, 1 KB of random bytes.
const smallFiles = [
  { name: 'source.py', data: py.data.subarray(0, py.data.lastIndexOf(0x0a, 2000) + 1) },
  { name: 'random.bin', data: randomBytes(1000) },
  { name: 'tiny.bin', data: randomBytes(250) },
];
try {
  if (only !== 'qemu') {
    await benchLink(115200, files);
    await benchLink(undefined, files);
  }
  if (only !== 'sim') await benchQemu(smallFiles);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const head: Row = { link: 'link', what: 'operation', mote: 'Mote BoardFs', baseline: 'mpremote-style', ratio: 'ratio', target: 'target' };
const keys = Object.keys(head) as Array<keyof Row>;
const width = (k: keyof Row) => Math.max(...[head, ...rows].map((r) => r[k].length));
const line = (r: Row) => `| ${keys.map((k) => r[k].padEnd(width(k))).join(' | ')} |`;
console.log(`Python source: ${py.from}, ${py.data.length} bytes (micro:bit: its first ${smallFiles[0].data.length}). KB = 1000 bytes. Median of ${REPS} runs (micro:bit: ${QEMU_REPS}).`);
console.log(line(head));
console.log(`|${keys.map((k) => '-'.repeat(width(k) + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
