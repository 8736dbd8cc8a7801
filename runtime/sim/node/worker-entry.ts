// Finds the worker script and the simulator's Python modules. Built output
// (dist/) has a compiled worker next to this file; when running from the
// TypeScript sources (tests, dev) the worker is bundled once with esbuild,
// with the options scripts/build-sim.mjs uses for dist/ (sim-worker-bundle.ts),
// because worker threads cannot load .ts files.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findAppRoot } from '../../node/app-root.js';
import { SIM_MPY_DIR, loadSimModules } from './sim-module-set.js';
import { simWorkerBundleOptions } from './sim-worker-bundle.js';

const here = path.dirname(fileURLToPath(import.meta.url));

let bundled: Promise<string> | null = null;

/**
 * In a packaged app this code sits in app.asar, but a worker thread loads its
 * script from the real file system: electron-builder.yml unpacks dist/runtime
 * next to the archive (app.asar.unpacked).
 */
function unpacked(p: string): string {
  const marker = `${path.sep}app.asar${path.sep}`;
  return p.includes(marker) ? p.replace(marker, `${path.sep}app.asar.unpacked${path.sep}`) : p;
}

export function workerEntry(): Promise<string> {
  const compiled = unpacked(path.join(here, '..', 'worker', 'sim-worker.js'));
  if (fs.existsSync(compiled)) return Promise.resolve(compiled);
  bundled ??= bundleFromSources();
  return bundled;
}

async function bundleFromSources(): Promise<string> {
  const root = findAppRoot();
  const outfile = path.join(root, 'node_modules', '.cache', 'mote', `sim-worker-${process.pid}.mjs`);
  const esbuild = await import('esbuild');
  await esbuild.build({ ...simWorkerBundleOptions(root, outfile), logLevel: 'silent' });
  process.once('exit', () => fs.rmSync(outfile, { force: true }));
  return outfile;
}

let pythonModules: Record<string, Uint8Array> | null = null;

/**
 * The Python modules installed into every simulated interpreter, as bytes
 * read once per process (handing the interpreter's filesystem strings made
 * every board encode them again): the build's .mpy where it is up to date,
 * else the source. MOTE_SIM_SOURCE_MODULES=1 forces the sources (to compare,
 * or to see the simulator's own frames with their source lines).
 */
export function simPythonModules(): Record<string, Uint8Array> {
  if (!pythonModules) {
    const root = findAppRoot();
    const mpyDir = process.env.MOTE_SIM_SOURCE_MODULES === '1' ? null : unpacked(path.join(root, SIM_MPY_DIR));
    pythonModules = loadSimModules(path.join(root, 'runtime', 'sim', 'python'), mpyDir);
  }
  return pythonModules;
}
