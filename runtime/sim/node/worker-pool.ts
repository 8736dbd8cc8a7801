// Workers are loaded ahead of time, process-wide: starting or resetting a
// board takes an interpreter that is already loaded, so the user waits only
// for boot.py and the banner. The wasm is compiled once and shared.

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { createSharedState, type SharedState, type WorkerInit, type WorkerToHost } from '../common/sim-protocol.js';
import { RingWriter } from '../common/stdin-ring.js';
import { simPythonModules, workerEntry } from './worker-entry.js';

export const DEFAULT_MEMORY_CAP = 256 * 1024 * 1024;

export class BoardWorker {
  readonly ctl: Int32Array;
  readonly writer: RingWriter;
  readonly loaded: Promise<void>;
  /** Set by the board that owns this worker. */
  onMessage: ((m: WorkerToHost) => void) | null = null;
  onError: ((e: Error) => void) | null = null;

  constructor(
    readonly worker: Worker,
    readonly shared: SharedState,
  ) {
    this.ctl = new Int32Array(shared.control);
    this.writer = new RingWriter(shared);
    let loaded!: () => void;
    this.loaded = new Promise((r) => (loaded = r));
    worker.on('message', (m: WorkerToHost) => (m.type === 'loaded' ? loaded() : this.onMessage?.(m)));
    worker.on('error', (e) => this.onError?.(e));
    // A spare must not keep the process alive (listeners ref the worker, so
    // this comes after them); the board that takes it calls ref().
    worker.unref();
  }
}

let compiled: Promise<WebAssembly.Module> | null = null;

function wasmModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const require = createRequire(import.meta.url);
    const mjs = require.resolve('@micropython/micropython-webassembly-pyscript/micropython.mjs');
    return WebAssembly.compile(await fs.promises.readFile(mjs.replace(/\.mjs$/, '.wasm')));
  })();
  return compiled;
}

const spares = new Map<number, BoardWorker[]>();
/** Spares being loaded, per memory cap: one is enough, however many boards start at once. */
const loadingSpares = new Map<number, number>();
const SPARES_WANTED = 1;

async function spawn(memoryCap: number): Promise<BoardWorker> {
  const shared = createSharedState();
  const init: WorkerInit = { shared, pythonModules: simPythonModules(), memoryCap, wasmModule: await wasmModule() };
  // The worker's JS allocates little (the interpreter lives in wasm memory):
  // a small young generation saves ~3 MiB of RSS per board. It runs plain JS,
  // so it must not inherit loader hooks such as `--import tsx`, which more
  // than doubled each board's start-up CPU (both measured with bench/sim).
  // It never reads or sets environment variables: sharing the host's instead
  // of copying them saves ~5% of a worker's start-up CPU.
  const worker = new Worker(await workerEntry(), {
    workerData: init,
    execArgv: [],
    env: SHARE_ENV,
    resourceLimits: { maxYoungGenerationSizeMb: 2 },
  });
  return new BoardWorker(worker, shared);
}

function refill(memoryCap: number, list: BoardWorker[]): void {
  const loading = loadingSpares.get(memoryCap) ?? 0;
  if (list.length + loading >= SPARES_WANTED) return;
  loadingSpares.set(memoryCap, loading + 1);
  void spawn(memoryCap).then((s) => {
    loadingSpares.set(memoryCap, (loadingSpares.get(memoryCap) ?? 1) - 1);
    list.push(s);
  });
}

/** A loaded (or loading) worker; a replacement spare starts loading at once. */
export async function takeWorker(memoryCap = DEFAULT_MEMORY_CAP): Promise<BoardWorker> {
  const list = spares.get(memoryCap) ?? [];
  spares.set(memoryCap, list);
  const spare = list.shift();
  refill(memoryCap, list);
  return spare ?? (await spawn(memoryCap));
}

/** Ends the spare workers, e.g. before a test process exits. */
export async function drainSpares(): Promise<void> {
  const all = [...spares.values()].flat();
  spares.clear();
  await Promise.all(all.map((s) => s.worker.terminate()));
}
