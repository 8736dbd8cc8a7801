// Simulator benchmarks (issue 2). Prints one table; run with `npm run bench`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoardSession } from '../../runtime/common/board-session.js';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';
import { ByteCollector } from '../../runtime/testing/byte-collector.js';
import { bootCostRows } from './boot-cost.js';
import { machineRows } from './machine.js';
import { oledFpsRows } from './oled-fps.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-'));
const rows: Array<[string, string, string]> = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function boardAtPrompt(): Promise<{ board: SimBoard; rx: ByteCollector; t: number }> {
  const t0 = performance.now();
  const board = await SimBoard.start({ filesDir: path.join(tmp, 'files') });
  const rx = new ByteCollector(board);
  await rx.waitForText('>>> ', 10000);
  return { board, rx, t: performance.now() - t0 };
}

async function coldStart(): Promise<void> {
  const script = path.join(import.meta.dirname, 'cold-start.mjs');
  const runs = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, [script, path.join(tmp, 'cold')]).toString()));
  rows.push(['cold start to first >>> (new process)', ms(median(runs)), '<= 300 ms']);
}

async function warmStart(): Promise<void> {
  (await boardAtPrompt()).board.close();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const b = await boardAtPrompt();
    times.push(b.t);
    await b.board.close();
  }
  rows.push(['warm start to first >>> (same process)', ms(median(times)), '<= 100 ms']);
  const { board, rx } = await boardAtPrompt();
  const resets: number[] = [];
  for (let i = 0; i < 5; i++) {
    rx.clear();
    const t = performance.now();
    await board.write(Buffer.from('\x04'));
    await rx.waitForText('>>> ');
    resets.push(performance.now() - t);
  }
  rows.push(['soft reset (Ctrl-D) to >>>', ms(median(resets)), '']);
  await board.close();
}

async function runToOutput(): Promise<void> {
  const { board } = await boardAtPrompt();
  const session = new BoardSession(board);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    let first = 0;
    const off = session.onTerminal((b) => {
      if (!first && Buffer.from(b).includes('hello')) first = performance.now();
    });
    await session.run("print('hello')\n");
    off();
    times.push(first - t);
  }
  rows.push(['Run to first output (one-line program)', ms(median(times)), '<= 50 ms']);
  await board.close();
}

async function interruptLatency(): Promise<void> {
  const { board, rx } = await boardAtPrompt();
  const measure = async (program: string, n: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      rx.clear();
      await board.write(Buffer.from('\r\x01'));
      await rx.waitForText('raw REPL; CTRL-B to exit\r\n>');
      rx.clear();
      await board.write(Buffer.from(program + '\x04'));
      await rx.waitForText('OK');
      const t = performance.now();
      await board.write(Buffer.from('\x03'));
      await rx.waitForText('>', 3000, 2);
      await rx.waitFor((b) => /\x04>$|>>> $/.test(b.toString('latin1')), 3000);
      times.push(performance.now() - t);
      await board.write(Buffer.from('\r\x02'));
      await rx.waitForText('>>> ');
    }
    return median(times);
  };
  rows.push(['Ctrl-C latency, sleeping loop', ms(await measure('import time\nwhile True:\n    time.sleep(1)', 7)), '<= 50 ms']);
  rows.push(['Ctrl-C latency, pure loop (hard reset)', ms(await measure('while True:\n    pass', 3)), '<= 1000 ms']);
  await board.close();
}

async function idleBlinkCpu(): Promise<void> {
  const boards = await Promise.all(Array.from({ length: 10 }, () => boardAtPrompt()));
  for (const { board } of boards)
    await board.write(Buffer.from('import machine, time\rled = machine.Pin("LED", machine.Pin.OUT)\rwhile True:\r led.toggle(); time.sleep(0.5)\r\r\r'));
  await new Promise((r) => setTimeout(r, 1000));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 5000));
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) * 1000;
  rows.push(['CPU of 10 boards blinking (whole process)', `${(((c.user + c.system) / wall) * 100).toFixed(2)} % of one core`, '< 5 %']);
  await Promise.all(boards.map((b) => b.board.close()));
}

async function allocationRss(): Promise<void> {
  const { board, rx } = await boardAtPrompt();
  const before = process.memoryUsage().rss;
  rx.clear();
  await board.write(Buffer.from("\x01n = 0\nwhile n < 1000000:\n    s = str(n) + 'abcdefgh'\n    n += 1\nprint(n)\x04"));
  await rx.waitFor((b) => /\x04>$|>>> $/.test(b.toString('latin1')), 120000);
  const out = rx.text();
  const after = process.memoryUsage().rss;
  rows.push([
    'RSS after 1,000,000 allocating iterations',
    `${(after / 1048576).toFixed(0)} MiB (was ${(before / 1048576).toFixed(0)})`,
    out.includes('1000000') ? 'bounded; loop completed' : 'bounded; board reset at the memory cap',
  ]);
  await board.close();
}

async function cpuVersusCPython(): Promise<void> {
  const program = 'def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n';
  let cpython = NaN;
  try {
    const out = execFileSync('python3', ['-c', `${program}import time\nt = time.perf_counter()\nfib(25)\nprint((time.perf_counter() - t) * 1000)`]);
    cpython = Number(out.toString());
  } catch {
    rows.push(['fib(25): simulator vs python3', 'python3 not found', '']);
    return;
  }
  const { board, rx } = await boardAtPrompt();
  rx.clear();
  await board.write(Buffer.from(`\x01${program}import time\nt = time.ticks_us()\nfib(25)\nprint('MS', time.ticks_diff(time.ticks_us(), t) / 1000)\x04`));
  const text = await rx.waitForText('\x04>', 120000);
  const sim = Number(/MS ([\d.]+)/.exec(text)?.[1]);
  rows.push(['fib(25): simulator / python3 time', `${(sim / cpython).toFixed(1)}x (${sim.toFixed(0)} vs ${cpython.toFixed(0)} ms)`, 'ratio, same run']);
  await board.close();
}

async function machineLayer(): Promise<void> {
  rows.push(...(await machineRows()));
}

// The OLED rows come from H-bus's bench (bench/sim/oled-fps.ts).
async function oledFps(): Promise<void> {
  rows.push(...(await oledFpsRows()));
}

// The .mpy module set against the .py sources, in the same run (bench/sim/boot-cost.ts).
async function bootCost(): Promise<void> {
  rows.push(...(await bootCostRows()));
}

// `npm run bench -- warmStart bootCost` runs only the named steps.
const steps = [coldStart, warmStart, runToOutput, interruptLatency, idleBlinkCpu, allocationRss, cpuVersusCPython, machineLayer, oledFps, bootCost];
const only = process.argv.slice(2);
for (const step of steps) if (!only.length || only.includes(step.name)) await step();

const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`${'measure'.padEnd(w0)} | ${'result'.padEnd(w1)} | target`);
console.log(`${'-'.repeat(w0)}-|-${'-'.repeat(w1)}-|-------`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c}`);
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
