#!/usr/bin/env node
// Precompiles the simulator's Python modules (runtime/sim/python/*.py) to
// .mpy in dist/, so a simulated board does not compile them at every boot.
// Runs after tsc: it uses the compiled dist/runtime/sim/node/sim-module-set.js.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { compileSimModules, SIM_MPY_DIR } = await import(path.join(root, 'dist', 'runtime', 'sim', 'node', 'sim-module-set.js'));
const t0 = performance.now();
const n = await compileSimModules(path.join(root, 'runtime', 'sim', 'python'), path.join(root, SIM_MPY_DIR));
console.log(`sim modules: ${n} compiled to .mpy in ${(performance.now() - t0).toFixed(0)} ms`);
