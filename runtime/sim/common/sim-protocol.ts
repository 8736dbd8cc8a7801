// Messages and shared memory between a SimBoard (host) and its worker.
// Code running in the worker cannot receive messages while Python runs, so
// everything the host must deliver mid-program (bytes, Ctrl-C, inputs) goes
// through the SharedArrayBuffer below and wakes the worker with Atomics.notify.

import type { BoardProfile } from './board-profile.js';
import type { BoardView } from './board-view.js';
import { createMailbox } from './host-mailbox.js';
import { createInputsBuffer } from './live-inputs.js';

export const RING_SIZE = 1 << 20;

/** Int32 slots of the control array. */
export const enum Ctl {
  /** Bytes written by the host (monotonic counter, wraps at 2^31). */
  Head = 0,
  /** Bytes consumed by the worker. */
  Tail = 1,
  /** 1 while a Ctrl-C is waiting to be delivered as KeyboardInterrupt. */
  Interrupt = 2,
  /** Bumped on every host event; the worker waits on this slot. */
  Wake = 3,
  Size = 8,
}

export interface SharedState {
  control: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  /** Replies to host calls (see host-mailbox.ts). */
  mailbox: SharedArrayBuffer;
  /** What the user sets in the board view (see live-inputs.ts). */
  inputs: SharedArrayBuffer;
}

export function createSharedState(): SharedState {
  return {
    control: new SharedArrayBuffer(Ctl.Size * 4),
    ring: new SharedArrayBuffer(RING_SIZE),
    mailbox: createMailbox(),
    inputs: createInputsBuffer(),
  };
}

export type BootMode =
  /** Power-on or hard reset: boot.py, main.py, banner, friendly REPL. */
  | 'power-on'
  /** Ctrl-D at the friendly REPL: as power-on (the old worker already printed "MPY: soft reboot"). */
  | 'soft-friendly'
  /** Ctrl-D at the raw REPL: boot.py only, then stay in raw mode. */
  | 'soft-raw'
  /** After a forced reset (watchdog, out of memory): boot.py, no main.py, banner. */
  | 'safe';

export interface WorkerInit {
  shared: SharedState;
  /** Sources of the Python modules that make the simulated board. */
  pythonModules: Record<string, Uint8Array>;
  /** Upper bound of the interpreter's memory, in bytes. */
  memoryCap: number;
  /** The interpreter, compiled once per process and shared by every worker. */
  wasmModule: WebAssembly.Module;
}

/** Sent once to a loaded worker: which board to become and how it was reset. */
export interface BootRequest {
  type: 'boot';
  mode: BootMode;
  resetCause: number;
  profile: BoardProfile;
  /** Host folder holding the board's filesystem. */
  filesDir: string;
}

export type HostToWorker = BootRequest;

export type WorkerToHost =
  | { type: 'loaded' }
  | { type: 'output'; data: Uint8Array }
  /** The board view changed (rate-limited to about 60 a second). */
  | { type: 'view'; view: BoardView }
  /** The worker saw the Ctrl-C (at the prompt or inside a bridge call). */
  | { type: 'interrupt-ack' }
  /** Python asked for a reset (Ctrl-D, machine.reset(), machine.soft_reset()). */
  | { type: 'reset'; mode: BootMode; hard: boolean; output: Uint8Array; cause?: number }
  /** The interpreter's memory reached the cap; the board must be reset. */
  | { type: 'out-of-memory'; bytes: number }
  | { type: 'ready' }
  /** Python waits (blocked) for a host service; the reply goes to the mailbox. Ids only grow. */
  | { type: 'host-call'; id: number; service: string; request: unknown; bytes?: Uint8Array }
  | { type: 'fatal'; message: string };
