// How the simulator's worker is bundled into one file, in one place for both
// bundlers: scripts/build-sim.mjs (for dist/; it imports the compiled copy of
// this module, as tsc runs first) and workerEntry() when running from the
// TypeScript sources. Only the type comes from esbuild, so the built app does
// not need it.

import type { BuildOptions } from 'esbuild';
import * as path from 'node:path';

/** esbuild options that bundle the worker of the app at `root` into `outfile`; callers add logging and source maps. */
export function simWorkerBundleOptions(root: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [path.join(root, 'runtime', 'sim', 'worker', 'sim-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The interpreter package stays a runtime import: its .wasm sits next to it.
    packages: 'external',
  };
}
