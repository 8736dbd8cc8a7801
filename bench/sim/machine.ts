// The machine layer's figures (issue 4): Timer jitter, pin-to-view latency,
// memory per board and the start of many boards at once.
//
// run.ts calls machineRows(); standalone: node --import tsx bench/sim/machine.ts

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';
import { startTestBoard, type TestBoard } from '../../runtime/sim/node/sim-test-kit.js';
import { ByteCollector } from '../../runtime/testing/byte-collector.js';

type Row = [string, string, string];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x: number) => `${x.toFixed(2)} ms`;
const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

/**
 * Period jitter of a 100 Hz Timer over 3 s while the program sleeps: how far
 * each interval between two callbacks is from 10 ms. (Measured between
 * callbacks, so one long stall of the machine counts once, not for every
 * later call.)
 */
async function timerJitter(tb: TestBoard): Promise<Row[]> {
  const r = await tb.exec(
    `from machine import Timer
import time
stamps = []
t0 = time.ticks_us()
t = Timer(freq=100, callback=lambda t: stamps.append(time.ticks_us()))
time.sleep_ms(3005)
t.deinit()
print(' '.join(str(time.ticks_diff(b, a) - 10000) for a, b in zip([t0] + stamps, stamps)))`,
    30000,
  );
  const late = r.out.trim().split(' ').map((x) => Math.abs(Number(x)) / 1000);
  return [
    [`Timer jitter at 100 Hz, median (${late.length} calls)`, ms(pct(late, 0.5)), ''],
    ['Timer jitter at 100 Hz, p99', ms(pct(late, 0.99)), '<= 5 ms'],
  ];
}

/**
 * A switch flips a pin, the program's IRQ handler copies it to the LED, the
 * host sees the LED in the board view: the round trip bounds pin-to-view from above.
 */
async function pinToView(tb: TestBoard): Promise<Row[]> {
  const { output, done } = tb.start(`from machine import Pin
import time
led = Pin(25, Pin.OUT, value=0)
sw = Pin(5, Pin.IN, Pin.PULL_DOWN)
sw.irq(lambda p: led.value(p.value()))
print('ready')
while True:
    time.sleep(1)`);
  await output.waitForText('ready');
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const level = (i + 1) % 2;
    const t = performance.now();
    tb.board.setInput({ kind: 'pin', pin: 5, level: level as 0 | 1 });
    await tb.view((v) => v.outputs[25] === level, 'the LED to follow the switch');
    times.push(performance.now() - t);
    // Spaced out, so each change meets the view's rate limit afresh.
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 20));
  }
  await tb.session.stop();
  await done;
  return [
    ['pin change -> board view on the host, median (switch, IRQ, LED)', ms(pct(times, 0.5)), ''],
    ['pin change -> board view on the host, p99', ms(pct(times, 0.99)), '<= 33 ms'],
  ];
}

const MACHINE_WORKLOAD = `from machine import Pin, PWM, ADC, Timer, RTC, Signal
import neopixel, time
led = Pin(25, Pin.OUT)
pwm = PWM(Pin(15), freq=50, duty_ns=1_500_000)
adc = ADC(26).read_u16()
np = neopixel.NeoPixel(Pin(16), 8)
np.fill((1, 2, 3))
np.write()
tm = Timer(period=100, callback=lambda t: led.toggle())
rtc = RTC().datetime()
print('loaded')
`;

async function startLoaded(dir: string): Promise<SimBoard> {
  const board = await SimBoard.start({ filesDir: dir });
  const rx = new ByteCollector(board);
  await rx.waitForText('>>> ', 30000);
  rx.clear();
  await board.write(Buffer.from(`\x01${MACHINE_WORKLOAD}\x04`));
  await rx.waitForText('loaded', 30000);
  await board.write(Buffer.from('\x02'));
  await rx.waitForText('>>> ', 30000);
  rx.dispose();
  return board;
}

/** RSS growth of the process per extra board with the machine layer in use (10 boards). */
async function rssPerBoard(tmp: string): Promise<Row[]> {
  const first = await startLoaded(path.join(tmp, 'rss-0'));
  await new Promise((r) => setTimeout(r, 500));
  const before = process.memoryUsage().rss;
  const boards: SimBoard[] = [];
  for (let i = 1; i <= 10; i++) boards.push(await startLoaded(path.join(tmp, `rss-${i}`)));
  await new Promise((r) => setTimeout(r, 500));
  const after = process.memoryUsage().rss;
  await Promise.all([first, ...boards].map((b) => b.close()));
  return [['RSS per extra board, machine layer in use (10 boards)', mib((after - before) / 10), '<= 15 MiB']];
}

/** 50 boards powered on together, until every one shows its prompt. */
async function fiftyBoards(tmp: string): Promise<Row[]> {
  const t = performance.now();
  const boards = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const board = await SimBoard.start({ filesDir: path.join(tmp, `fifty-${i}`) });
      const rx = new ByteCollector(board);
      await rx.waitForText('>>> ', 60000);
      rx.dispose();
      return board;
    }),
  );
  const elapsed = performance.now() - t;
  await Promise.all(boards.map((b) => b.close()));
  return [['50 boards started at once, to the last >>>', `${(elapsed / 1000).toFixed(2)} s`, '<= 5 s']];
}

export async function machineRows(): Promise<Row[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-machine-'));
  try {
    const tb = await startTestBoard({ filesDir: path.join(tmp, 'timing') });
    // Timing rows mean little on a busy machine: say how busy it was.
    const rows: Row[] = [['load average (1 min) when the machine rows started', os.loadavg()[0].toFixed(1), `${os.cpus().length} cores`]];
    rows.push(...(await timerJitter(tb)), ...(await pinToView(tb)));
    await tb.close();
    rows.push(...(await rssPerBoard(tmp)), ...(await fiftyBoards(tmp)));
    return rows;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const rows = await machineRows();
  const w = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w)} | ${b.padEnd(w1)} | ${c}`);
  process.exit(0);
}
