// WebREPL benchmark against the simulated board's WebREPL server on loopback:
// connect + login time, file PUT/GET throughput (raw protocol, and through
// BoardFs with the atomic rename and SHA-256 checks on the board), and
// programs sent by Mote's adaptive block pacing next to the paced-paste
// baseline other tools use (255-byte blocks with a fixed 10 ms delay), on a
// board without an input limit and on one that emulates a 256-byte input ring
// (an ESP board's) drained at 8 KB/s.
// Run with `npx tsx bench/webrepl/run.ts` (BENCH_REPS=n runs per figure,
// default 3; the median is shown). KB = 1000 bytes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { LinkReader } from '../../runtime/common/link-reader.js';
import { RAW_PROMPT } from '../../runtime/common/raw-repl.js';
import { getBytes, putBytes } from '../../runtime/common/webrepl/file-client.js';
import { connectWebRepl } from '../../runtime/node/webrepl-connect.js';
import { WebReplLink } from '../../runtime/node/webrepl-link.js';
import { serveSimWebRepl, type SimWebRepl } from '../../runtime/sim/node/webrepl-server/serve-sim.js';
import { drainSpares } from '../../runtime/sim/node/worker-pool.js';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const PASSWORD = 'bench';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-webrepl-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: string[][] = [];
const row = (...cells: Array<string | number>) => rows.push(cells.map(String));

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function data(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 2654435761) >>> 24;
  return b;
}

/** A program of about `bytes` bytes whose only output is one known number. */
function program(bytes: number): { src: string; expect: string } {
  const lines: string[] = [];
  let n = 0;
  while (lines.join('\n').length < bytes) lines.push(`v${n} = ${n}  # line ${n} of a program long enough to need pacing`), n++;
  return { src: `${lines.join('\n')}\nprint(sum([${Array.from({ length: n }, (_, i) => `v${i}`).join(',')}]))\n`, expect: `${(n * (n - 1)) / 2}` };
}

/** The baseline: enter raw mode, send 255-byte blocks with a fixed delay, Ctrl-D. */
async function pacedPaste(url: string, src: string, expect: string, delayMs: number): Promise<{ ok: boolean }> {
  const link = await WebReplLink.open({ url, password: PASSWORD });
  const rx = new LinkReader(link);
  try {
    await link.write(Buffer.from('\r\x03\r\x01'));
    await rx.readUntil(RAW_PROMPT, 5000, 'entering the raw REPL');
    const b = Buffer.from(src);
    for (let i = 0; i < b.length; i += 255) {
      await link.write(b.subarray(i, i + 255));
      await new Promise((r) => setTimeout(r, delayMs));
    }
    await link.write(Buffer.from('\x04'));
    const reply = (await rx.readUntil('\x04>', 30000, 'waiting for the result')).toString();
    await link.write(Buffer.from('\r\x02'));
    const [out, err] = reply.slice(2).split('\x04');
    return { ok: reply.startsWith('OK') && out.trim() === expect && !err };
  } finally {
    rx.dispose();
    await link.close();
  }
}

async function adaptive(url: string, src: string, expect: string): Promise<{ ok: boolean }> {
  const { link } = await connectWebRepl({ url, password: PASSWORD, identify: false });
  try {
    const r = await new BoardSession(link).run(src);
    return { ok: r.stderr.length === 0 && r.stdout.toString().trim() === expect };
  } finally {
    await link.close();
  }
}

async function main(): Promise<void> {
  const sim: SimWebRepl = await serveSimWebRepl({ filesDir: path.join(tmp, 'fast'), password: PASSWORD, port: 0 });
  const small: SimWebRepl = await serveSimWebRepl({ filesDir: path.join(tmp, 'small'), password: PASSWORD, port: 0, inputBuffer: 256, inputRate: 8000 });
  try {
    // Connect + login, and the full connect (interrupt, raw REPL, identify).
    const login: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t = await timed(() => WebReplLink.open({ url: sim.url, password: PASSWORD }));
      login.push(t.ms);
      await t.value.close();
      const c = await timed(() => connectWebRepl({ url: sim.url, password: PASSWORD }));
      full.push(c.ms);
      await c.value.link.close();
    }
    row('connect + login', '-', `${median(login).toFixed(1)} ms`, '');
    row('connect + login + identify', '-', `${median(full).toFixed(1)} ms`, '');

    for (const size of [200_000, 1_000_000]) {
      const payload = data(size);
      const { link } = await connectWebRepl({ url: sim.url, password: PASSWORD, identify: false });
      const fsys = new BoardFs(new BoardSession(link));
      const rawPut: number[] = [];
      const rawGet: number[] = [];
      const put: number[] = [];
      const get: number[] = [];
      for (let i = 0; i < REPS; i++) {
        rawPut.push((await timed(() => putBytes(link.binary, 'raw.bin', payload))).ms);
        const g = await timed(() => getBytes(link.binary, 'raw.bin'));
        if (!g.value.equals(payload)) throw new Error('raw GET returned other bytes');
        rawGet.push(g.ms);
        put.push((await timed(() => fsys.put('/bench.bin', payload))).ms);
        get.push((await timed(() => fsys.get('/bench.bin'))).ms);
      }
      const kb = size / 1000;
      row(`PUT ${kb} KB, protocol only`, kb, `${median(rawPut).toFixed(0)} ms`, `${(size / median(rawPut)).toFixed(0)} KB/s`);
      row(`GET ${kb} KB, protocol only`, kb, `${median(rawGet).toFixed(0)} ms`, `${(size / median(rawGet)).toFixed(0)} KB/s`);
      row(`PUT ${kb} KB, atomic + SHA-256 (BoardFs)`, kb, `${median(put).toFixed(0)} ms`, `${(size / median(put)).toFixed(0)} KB/s`);
      row(`GET ${kb} KB, SHA-256 checked (BoardFs)`, kb, `${median(get).toFixed(0)} ms`, `${(size / median(get)).toFixed(0)} KB/s`);
      await link.close();
    }

    const p = program(4000);
    for (const [label, server] of [
      ['no input limit', sim],
      ['256-byte input ring, 8 KB/s', small],
    ] as const) {
      const before = server.stats.droppedInput;
      const a = await timed(() => adaptive(server.url, p.src, p.expect));
      const afterAdaptive = server.stats.droppedInput;
      const b = await timed(() => pacedPaste(server.url, p.src, p.expect, 10));
      row(
        `run 4 KB program, adaptive blocks (${label})`,
        (p.src.length / 1000).toFixed(1),
        `${a.ms.toFixed(0)} ms`,
        `${a.value.ok ? 'correct' : 'WRONG'}, ${afterAdaptive - before} bytes lost`,
      );
      row(
        `run 4 KB program, 255 B + 10 ms paced paste (${label})`,
        (p.src.length / 1000).toFixed(1),
        `${b.ms.toFixed(0)} ms`,
        `${b.value.ok ? 'correct' : 'WRONG'}, ${server.stats.droppedInput - afterAdaptive} bytes lost`,
      );
    }
  } finally {
    await sim.close();
    await small.close();
    await drainSpares();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const head = ['what', 'KB', 'time (median)', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`WebREPL on the simulated board over loopback (${REPS} runs per figure, median)\n`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

await main();
