#!/usr/bin/env node
// The simulated board's build steps, run after tsc:
// - bundles the worker (runtime/sim/worker/sim-worker.ts) into one file over
//   tsc's output of the same name: every board loads a worker, and one file
//   costs each ~20% less start-up CPU than tsc's two dozen modules (the
//   options are tsc's output of runtime/sim/node/sim-worker-bundle.ts, which
//   the tests' on-the-fly bundle shares);
// - precompiles the simulator's Python modules (runtime/sim/python/*.py) to
//   .mpy, so a board does not compile them at every boot (this uses the
//   compiled dist/runtime/sim/node/sim-module-set.js).

import { build } from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist', 'runtime', 'sim');
let t0 = performance.now();
// tsc has compiled the shared options by now.
const { simWorkerBundleOptions } = await import(path.join(dist, 'node', 'sim-worker-bundle.js'));
await build({
  ...simWorkerBundleOptions(root, path.join(dist, 'worker', 'sim-worker.js')),
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log(`sim worker: bundled in ${(performance.now() - t0).toFixed(0)} ms`);

t0 = performance.now();
const { compileSimModules, SIM_MPY_DIR } = await import(path.join(dist, 'node', 'sim-module-set.js'));
const n = await compileSimModules(path.join(root, 'runtime', 'sim', 'python'), path.join(root, SIM_MPY_DIR));
console.log(`sim modules: ${n} compiled to .mpy in ${(performance.now() - t0).toFixed(0)} ms`);
