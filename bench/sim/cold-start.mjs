// One fresh Node process, one simulated board: milliseconds from start() to
// the first ">>> " (worker start, wasm load, boot, banner). Prints a number.
const t0 = performance.now();
const { SimBoard } = await import('../../dist/runtime/sim/node/sim-board.js');
const filesDir = process.argv[2];
const board = await SimBoard.start({ filesDir });
let text = '';
await new Promise((resolve) =>
  board.onData((d) => {
    text += Buffer.from(d).toString('latin1');
    if (text.includes('>>> ')) resolve();
  }),
);
process.stdout.write(String(performance.now() - t0));
await board.close();
