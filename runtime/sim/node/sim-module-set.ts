// The simulator's own Python modules (runtime/sim/python) as every simulated
// board receives them. The build precompiles them to .mpy, because compiling
// the machine layer from source in every fresh interpreter was most of a
// board's start-up CPU. A board gets the .mpy of a module only while its
// recorded source hash still matches the .py; otherwise (edited without a
// rebuild, no build at all, MOTE_SIM_SOURCE_MODULES=1) it gets the source.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../../node/sha256-hex.js';
import { mpyCrossV6 } from '../../common/mpy-compile.js';

/** Where the build writes the .mpy files and their manifest, under the package root. */
export const SIM_MPY_DIR = path.join('dist', 'runtime', 'sim', 'python');
const MANIFEST = 'mpy-manifest.json';
/** The folder the worker installs the modules into (PRIVATE_DIR in worker/board-files.ts). */
const BOARD_DIR = '/.mote';

interface Manifest {
  mpyVersion: number;
  /** Source file name to the sha256 of the source it was compiled from. */
  sources: Record<string, string>;
}

function readSources(srcDir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const name of fs.readdirSync(srcDir).sort()) if (name.endsWith('.py')) out.set(name, new Uint8Array(fs.readFileSync(path.join(srcDir, name))));
  return out;
}

/**
 * Compiles every module of `srcDir` into `outDir` (build step). Tracebacks
 * name each module by its source path on the board (/.mote/name.py), as
 * when it is imported from source; its `__file__` says .mpy.
 */
export async function compileSimModules(srcDir: string, outDir: string): Promise<number> {
  const compiler = mpyCrossV6();
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const manifest: Manifest = { mpyVersion: compiler.version, sources: {} };
  for (const [name, src] of readSources(srcDir)) {
    const mpyName = name.slice(0, -3) + '.mpy';
    const mpy = await compiler.compile(`${BOARD_DIR}/${name}`, Buffer.from(src).toString('utf8'));
    // A .mpy starts with 'M' and its version; anything else would make every board fail to boot.
    if (mpy[0] !== 0x4d || mpy[1] !== compiler.version) throw new Error(`${name}: mpy-cross did not produce a version ${compiler.version} .mpy`);
    fs.writeFileSync(path.join(outDir, mpyName), mpy);
    manifest.sources[name] = sha256Hex(src);
  }
  fs.writeFileSync(path.join(outDir, MANIFEST), JSON.stringify(manifest, null, 1) + '\n');
  return Object.keys(manifest.sources).length;
}

function readManifest(mpyDir: string): Manifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(mpyDir, MANIFEST), 'utf8')) as Manifest;
    return typeof m.sources === 'object' && m.sources ? m : null;
  } catch {
    return null;
  }
}

/**
 * File name to bytes, as the worker writes them into the board's private
 * folder: `name.mpy` where an up-to-date compiled copy exists, else `name.py`.
 */
export function loadSimModules(srcDir: string, mpyDir: string | null): Record<string, Uint8Array> {
  const manifest = mpyDir ? readManifest(mpyDir) : null;
  const out: Record<string, Uint8Array> = {};
  for (const [name, src] of readSources(srcDir)) {
    const mpyName = name.slice(0, -3) + '.mpy';
    if (mpyDir && manifest?.sources[name] === sha256Hex(src)) {
      try {
        out[mpyName] = new Uint8Array(fs.readFileSync(path.join(mpyDir, mpyName)));
        continue;
      } catch {
        // Listed but missing: the source below still works.
      }
    }
    out[name] = src;
  }
  return out;
}
