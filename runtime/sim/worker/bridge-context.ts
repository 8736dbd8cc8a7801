// The seam between the worker's core (interpreter, serial line, pins) and the
// peripheral models (buses, displays, network) that register their own JS
// modules for Python. Every function of a registered module takes and returns
// plain values and never throws: a JS exception escaping into the interpreter
// disables its garbage collector.

import type { BoardProfile } from '../common/board-profile.js';
import type { BoardView } from '../common/board-view.js';
import type { HostReply } from '../common/host-mailbox.js';

export type { HostReply } from '../common/host-mailbox.js';

/** What the user currently sets in the board view, read fresh from shared memory. */
export interface LiveInputs {
  /** 0..65535 on an ADC-capable GPIO (the slider's value). */
  adc(gpio: number): number;
  /** The level an external circuit drives onto the pin, or null when none does. */
  pinLevel(gpio: number): 0 | 1 | null;
  button(name: string): boolean;
  /** Degrees C. */
  temperature(): number;
  /** %RH. */
  humidity(): number;
}

/**
 * The interpreter's memory, for buffers Python hands over as
 * uctypes.addressof(buf) and len(buf). Bytes then cross without allocating in
 * the Python heap, which the wasm port collects only between commands: a
 * hex or bytes copy per call grows a drawing loop's memory by kilobytes a
 * frame.
 */
export interface InterpreterMemory {
  read(addr: number, len: number): Uint8Array;
  write(addr: number, data: Uint8Array): void;
}

export interface BridgeContext {
  profile: BoardProfile;
  inputs: LiveInputs;
  memory: InterpreterMemory;
  /** Schedules KeyboardInterrupt when a Ctrl-C is pending; true if it did. Call it in every blocking loop. */
  checkInterrupt(): boolean;
  /** Blocks the interpreter up to `ms`, returning early when the host signals anything (bytes, Ctrl-C, inputs, network replies). */
  waitHost(ms: number): void;
  /** The peripheral's part of the board view changed; the core posts a new view soon (rate-limited). */
  markViewDirty(): void;
  /**
   * Asks a host service (runtime/sim/node/host-service-list.ts) and blocks
   * the interpreter until it answers, `timeoutMs` passes (error 'timeout') or
   * Ctrl-C is pressed (error 'interrupted': KeyboardInterrupt is already
   * scheduled). `request` and the reply's value must be JSON-serialisable; raw
   * data goes in `bytes`. A service's own failure arrives as its message.
   */
  hostCall(service: string, request: unknown, bytes: Uint8Array | undefined, timeoutMs: number): HostReply;
}

export interface PeripheralBridge {
  /** Name of the JS module Python imports, e.g. "_mote_bus". */
  readonly name: string;
  module(): Record<string, (...a: never[]) => unknown>;
  /** Adds this peripheral's state to the view the core is about to post. */
  contribute?(view: BoardView): void;
  /** A GPIO's output latch changed, e.g. an SPI chip select the program drives with machine.Pin. */
  onPinChange?(gpio: number, level: 0 | 1): void;
}

export type PeripheralFactory = (ctx: BridgeContext) => PeripheralBridge;
