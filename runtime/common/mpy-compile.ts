// Compiling .py to .mpy (precompiled bytecode) for sync, with mpy-cross
// built to WebAssembly (@pybricks/mpy-cross-v6): a board loads .mpy faster
// and with far less RAM than it needs to compile source.
//
// Compatibility (py/persistentcode.c): a .mpy loads when its major version
// (header byte 1) equals the board's, i.e. the low byte of
// sys.implementation._mpy (bits 8-9 are the sub-version, bits 10+ the
// native architecture). We emit bytecode only (no -march), whose header says
// "arch none"; for such files the board does not check the sub-version or
// the arch, so mpy-cross v6.0 output loads on a v6.3 board (_mpy 774). A
// board whose small ints are narrower than the header's (31 bits) refuses it.
//
// main.py and boot.py stay source: the firmware runs them by those names.

import { baseName } from './board-path.js';

export interface MpyCompiler {
  /** The .mpy major version this compiler writes (low byte of sys.implementation._mpy). */
  readonly version: number;
  /** Compiles `source`; `name` (a relative path) is what tracebacks will show. Throws MpyCompileError. */
  compile(name: string, source: string): Promise<Uint8Array>;
}

export class MpyCompileError extends Error {
  constructor(
    readonly file: string,
    /** mpy-cross's stderr, e.g. a SyntaxError traceback. */
    readonly detail: string,
  ) {
    super(`${file}: could not compile to .mpy: ${detail.trim().split('\n').pop() ?? detail}`);
    this.name = 'MpyCompileError';
  }
}

/** Major .mpy version in a board's sys.implementation._mpy. */
export function mpyMajor(mpy: number): number {
  return mpy & 0xff;
}

/** null when the board can load this compiler's bytecode, else why not. */
export function mpyIncompatibility(boardMpy: number | null, compiler: Pick<MpyCompiler, 'version'>): string | null {
  if (boardMpy === null || boardMpy < 0) return 'the board does not report a .mpy version (sys.implementation._mpy), so it cannot be told which .mpy it loads';
  const major = mpyMajor(boardMpy);
  if (major !== compiler.version) return `the board loads .mpy version ${major}, the compiler writes version ${compiler.version}`;
  return null;
}

/** The board-side relative path a local file goes to when compiling, or null to keep it as source. */
export function mpyTargetFor(rel: string): string | null {
  if (!rel.endsWith('.py')) return null;
  const name = baseName('/' + rel);
  if (name === 'main.py' || name === 'boot.py') return null;
  return rel.slice(0, -3) + '.mpy';
}

/** The parts of mpy-cross-v6.js (an Emscripten factory) used here. */
type MpyCrossFactory = (m: {
  arguments: string[];
  inputFileContents: string;
  wasmBinary?: Uint8Array;
  callback: (status: number, mpy: Uint8Array | undefined, out: string[], err: string[]) => void;
}) => Promise<unknown>;

export interface MpyCrossOptions {
  /** The bytes of mpy-cross-v6.wasm. Default: read from node_modules in Node (elsewhere, required). */
  loadWasm?: () => Promise<Uint8Array>;
}

/**
 * mpy-cross v6 in WebAssembly. Each compile instantiates the module afresh
 * (mpy-cross runs main() once per instance); the wasm bytes are loaded once.
 *
 * The package's own compile() does not work in Node 20+: its Emscripten
 * glue sees a global fetch() and fetches a file path. So the factory is
 * called directly with the wasm bytes. In Node the glue also installs
 * process-wide 'uncaughtException'/'unhandledRejection' handlers that
 * rethrow; they are removed again after every instantiation.
 */
export function mpyCrossV6(opts: MpyCrossOptions = {}): MpyCompiler {
  let wasm: Promise<Uint8Array> | null = null;
  let factory: Promise<MpyCrossFactory> | null = null;
  const loadWasm = opts.loadWasm ?? nodeWasm;
  return {
    version: 6,
    async compile(name, source) {
      factory ??= import(
        // @ts-ignore: the Emscripten glue has no type declarations
        '@pybricks/mpy-cross-v6/build/mpy-cross-v6.js'
      ).then((m: { default: MpyCrossFactory }) => m.default);
      wasm ??= loadWasm();
      const [make, wasmBinary] = await Promise.all([factory, wasm]);
      const file = baseName('/' + name) || 'module.py';
      const result = await new Promise<{ status: number; mpy?: Uint8Array; err: string[] }>((resolve, reject) => {
        const before = listenerSnapshot();
        try {
          make({
            arguments: ['-s', name, file],
            inputFileContents: source,
            wasmBinary,
            callback: (status, mpy, _out, err) => resolve({ status, mpy, err }),
          }).catch(reject);
        } catch (e) {
          reject(e);
        } finally {
          before?.restore();
        }
      });
      if (result.status !== 0 || !result.mpy) throw new MpyCompileError(name, result.err.join('\n') || `mpy-cross exit status ${result.status}`);
      return new Uint8Array(result.mpy);
    },
  };
}

async function nodeWasm(): Promise<Uint8Array> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new Error('mpyCrossV6: outside Node, pass loadWasm (the bytes of mpy-cross-v6.wasm)');
  }
  const [{ createRequire }, fsp] = await Promise.all([import('node:module'), import('node:fs/promises')]);
  const require = createRequire(import.meta.url);
  return new Uint8Array(await fsp.readFile(require.resolve('@pybricks/mpy-cross-v6/build/mpy-cross-v6.wasm')));
}

type Listener = (...args: unknown[]) => void;
type Emitter = { listeners(e: string): Listener[]; removeListener(e: string, l: Listener): unknown };

function listenerSnapshot(): { restore(): void } | null {
  if (typeof process === 'undefined' || typeof process.listeners !== 'function') return null;
  const proc = process as unknown as Emitter;
  const events = ['uncaughtException', 'unhandledRejection'];
  const had = new Map(events.map((e) => [e, new Set(proc.listeners(e))]));
  return {
    restore() {
      for (const e of events) for (const l of proc.listeners(e)) if (!had.get(e)!.has(l)) proc.removeListener(e, l);
    },
  };
}
