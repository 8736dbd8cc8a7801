// Finds the worker script and the simulator's Python modules. Built output
// (dist/) has a compiled worker next to this file; when running from the
// TypeScript sources (tests, dev) the worker is bundled once with esbuild,
// because worker threads cannot load .ts files.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function packageRoot(): string {
  for (let dir = here; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'runtime'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the Mote Studio package above ${here}`);
  }
}

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
  const root = packageRoot();
  const outfile = path.join(root, 'node_modules', '.cache', 'mote', `sim-worker-${process.pid}.mjs`);
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(root, 'runtime', 'sim', 'worker', 'sim-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  process.once('exit', () => fs.rmSync(outfile, { force: true }));
  return outfile;
}

let pythonSources: Record<string, Uint8Array> | null = null;

/**
 * The Python modules installed into every simulated interpreter, as UTF-8
 * bytes: handing the interpreter's filesystem strings made every board
 * encode them again, a fifth of its start-up.
 */
export function simPythonModules(): Record<string, Uint8Array> {
  if (!pythonSources) {
    const dir = path.join(packageRoot(), 'runtime', 'sim', 'python');
    pythonSources = {};
    for (const name of fs.readdirSync(dir)) if (name.endsWith('.py')) pythonSources[name] = new Uint8Array(fs.readFileSync(path.join(dir, name)));
  }
  return pythonSources;
}
