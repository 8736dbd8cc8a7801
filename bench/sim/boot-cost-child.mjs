// One Node process measuring what a simulated board's start costs with the
// module set its environment selects (MOTE_SIM_SOURCE_MODULES=1: sources,
// else the build's .mpy). Uses the built dist/. Prints one JSON line.
const { SimBoard } = await import('../../dist/runtime/sim/node/sim-board.js');
const dir = process.argv[2];
const crowd = Number(process.argv[3] ?? 50);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (c) => (c.user + c.system) / 1000;

async function untilPrompt(board, text = '>>> ') {
  let seen = '';
  await new Promise((resolve) => {
    const off = board.onData((d) => {
      seen += Buffer.from(d).toString('latin1');
      if (seen.includes(text)) {
        off?.();
        resolve();
      }
    });
  });
}

// The first board also pays for loading the wasm; it is not counted.
const first = await SimBoard.start({ filesDir: `${dir}/first` });
await untilPrompt(first);
await first.close();

// Whole-process CPU (every thread) per board start, one board at a time.
const startCpu = [];
for (let i = 0; i < 8; i++) {
  const c0 = process.cpuUsage();
  const board = await SimBoard.start({ filesDir: `${dir}/seq-${i}` });
  await untilPrompt(board);
  startCpu.push(cpuMs(process.cpuUsage(c0)));
  await board.close();
}

// CPU of a program's first `import machine` (and its submodules).
const importCpu = [];
const board = await SimBoard.start({ filesDir: `${dir}/import` });
await untilPrompt(board);
for (let i = 0; i < 5; i++) {
  const c0 = process.cpuUsage();
  await board.write(Buffer.from("import machine\r"));
  await untilPrompt(board);
  importCpu.push(cpuMs(process.cpuUsage(c0)));
  // A soft reset forgets the import, so the next round imports afresh.
  await board.write(Buffer.from('\x04'));
  await untilPrompt(board);
}
await board.close();

// Many boards powered on together.
const rss0 = process.memoryUsage().rss;
const c0 = process.cpuUsage();
const t0 = performance.now();
const boards = await Promise.all(
  Array.from({ length: crowd }, async (_, i) => {
    const b = await SimBoard.start({ filesDir: `${dir}/crowd-${i}` });
    await untilPrompt(b);
    return b;
  }),
);
const crowdMs = performance.now() - t0;
const crowdCpu = cpuMs(process.cpuUsage(c0));
const rssPerBoard = (process.memoryUsage().rss - rss0) / crowd;
await Promise.all(boards.map((b) => b.close()));

process.stdout.write(JSON.stringify({ startCpu: median(startCpu), importCpu: median(importCpu), crowdMs, crowdCpu, rssPerBoard }) + '\n');
process.exit(0);
