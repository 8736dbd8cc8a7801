// What the simulator's own Python modules cost a board's start, with the
// build's precompiled .mpy against the .py sources, measured in the same run
// (the machine is shared, so only same-run ratios mean much). Each mode runs
// in its own Node process (bench/sim/boot-cost-child.mjs), alternating.
//
// run.ts calls bootCostRows(); standalone: node --import tsx bench/sim/boot-cost.ts [boards at once]

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type Row = [string, string, string];
interface Sample {
  startCpu: number;
  importCpu: number;
  crowdMs: number;
  crowdCpu: number;
  rssPerBoard: number;
}

const ROUNDS = 2;

function sample(source: boolean, dir: string, crowd: number): Sample {
  const env = { ...process.env, MOTE_SIM_SOURCE_MODULES: source ? '1' : '0' };
  const script = path.join(import.meta.dirname, 'boot-cost-child.mjs');
  const out = execFileSync(process.execPath, [script, dir, String(crowd)], { env, maxBuffer: 1 << 20 });
  return JSON.parse(out.toString().trim().split('\n').pop()!) as Sample;
}

export async function bootCostRows(crowd = 50): Promise<Row[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-boot-'));
  try {
    const runs: Record<'py' | 'mpy', Sample[]> = { py: [], mpy: [] };
    for (let i = 0; i < ROUNDS; i++) {
      runs.py.push(sample(true, path.join(tmp, `py-${i}`), crowd));
      runs.mpy.push(sample(false, path.join(tmp, `mpy-${i}`), crowd));
    }
    const best = (mode: 'py' | 'mpy', k: keyof Sample) => Math.min(...runs[mode].map((s) => s[k]));
    const row = (label: string, k: keyof Sample, fmt: (x: number) => string, target = ''): Row => {
      const py = best('py', k);
      const mpy = best('mpy', k);
      return [label, `${fmt(mpy)} (.py: ${fmt(py)}, ${(mpy / py).toFixed(2)}x)`, target];
    };
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
    const mib = (x: number) => `${(x / 1048576).toFixed(1)} MiB`;
    return [
      ['load average (1 min) after the boot-cost rows', os.loadavg()[0].toFixed(1), `${os.cpus().length} cores`],
      row('CPU per board start to >>> (all threads, .mpy vs .py)', 'startCpu', ms),
      row('CPU of a first `import machine`', 'importCpu', ms),
      row(`${crowd} boards started at once, to the last >>>`, 'crowdMs', s, '<= 5 s'),
      row(`CPU of ${crowd} boards starting at once`, 'crowdCpu', s),
      row(`RSS per board, ${crowd} boards at the prompt`, 'rssPerBoard', mib, '<= 15 MiB'),
    ];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const rows = await bootCostRows(Number(process.argv[2] ?? 50));
  const w = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w)} | ${b.padEnd(w1)} | ${c}`);
}
