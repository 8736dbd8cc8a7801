// The simulated GPIO block: what each pin is configured as, what the program
// drove onto it, and what it reads, from the user's buttons and switches
// (shared memory) and the pin's pull. Level changes on a pin with an IRQ
// become edge events the Python side dispatches between bytecodes.

import type { BoardProfile } from '../common/board-profile.js';
import type { InputEvent, InputsReader } from '../common/live-inputs.js';

export const MODE_IN = 0;
export const MODE_OUT = 1;
export const MODE_OPEN_DRAIN = 2;
/** Driven by a peripheral (PWM, bitstream), not by the GPIO latch. */
export const MODE_ALT = 3;
const PULL_UP = 1;
const PULL_DOWN = 2;
export const EDGE_RISING = 1;
export const EDGE_FALLING = 2;
const MAX_QUEUED_EDGES = 64;

export class PinModel {
  private readonly modes = new Map<number, number>();
  private readonly pulls = new Map<number, number>();
  private readonly latch = new Map<number, 0 | 1>();
  private readonly irqEdges = new Map<number, number>();
  /** Level last seen on each pin with an IRQ, to find edges. */
  private readonly seen = new Map<number, 0 | 1>();
  /** Pin IRQs waiting for Python: (pin << 2) | edge. */
  private readonly queue: number[] = [];
  private readonly buttonPins: Set<number>;

  constructor(
    private readonly inputs: InputsReader,
    profile: BoardProfile,
  ) {
    this.buttonPins = new Set(profile.buttons.map((b) => b.gpio));
  }

  /** mode/pull -1: unchanged. Returns true if what the view shows changed. */
  setMode(pin: number, mode: number, pull: number): void {
    if (mode >= 0) this.modes.set(pin, mode);
    if (pull >= 0) this.pulls.set(pin, pull);
    this.recheck(pin);
  }

  mode(pin: number): number {
    return this.modes.get(pin) ?? -1;
  }

  /** Drives the latch; returns true if it changed. */
  write(pin: number, v: number): boolean {
    const level: 0 | 1 = v ? 1 : 0;
    if (!this.modes.has(pin)) this.modes.set(pin, MODE_OUT);
    if (this.latch.get(pin) === level) return false;
    this.latch.set(pin, level);
    this.recheck(pin);
    return true;
  }

  latched(pin: number): 0 | 1 {
    return this.latch.get(pin) ?? 0;
  }

  /** What Pin.value() reads now. */
  read(pin: number): 0 | 1 {
    return this.levelWith(pin, this.inputs.buttonHeld(pin), this.inputs.pinLevel(pin));
  }

  enableIrq(pin: number, edges: number): void {
    this.pollInputs();
    if (edges) {
      this.irqEdges.set(pin, edges);
      this.seen.set(pin, this.read(pin));
    } else {
      this.irqEdges.delete(pin);
      this.seen.delete(pin);
    }
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i] >> 2 === pin) this.queue.splice(i, 1);
  }

  hasEdges(): boolean {
    this.pollInputs();
    return this.queue.length > 0;
  }

  nextEdge(): number {
    this.pollInputs();
    return this.queue.shift() ?? -1;
  }

  /** GPIO -> level of the pins the program drives as outputs. */
  outputs(): Record<number, 0 | 1> {
    const out: Record<number, 0 | 1> = {};
    for (const [pin, mode] of this.modes) if (mode === MODE_OUT || mode === MODE_OPEN_DRAIN) out[pin] = this.latched(pin);
    return out;
  }

  // Replays each button or switch change in order, so a press and release
  // between two looks still gives a falling and a rising edge.
  private pollInputs(): void {
    if (!this.inputs.hasEvents()) return;
    for (const e of this.inputs.takeEvents()) this.replay(e);
  }

  private replay(e: InputEvent): void {
    if (!this.irqEdges.has(e.gpio)) return;
    this.edgeTo(e.gpio, this.levelWith(e.gpio, e.pressed, e.level));
  }

  private recheck(pin: number): void {
    if (this.irqEdges.has(pin)) this.edgeTo(pin, this.read(pin));
  }

  private edgeTo(pin: number, level: 0 | 1): void {
    const before = this.seen.get(pin);
    this.seen.set(pin, level);
    if (before === undefined || before === level) return;
    const edge = level ? EDGE_RISING : EDGE_FALLING;
    if ((this.irqEdges.get(pin) ?? 0) & edge && this.queue.length < MAX_QUEUED_EDGES) this.queue.push((pin << 2) | edge);
  }

  private levelWith(pin: number, pressed: boolean, external: 0 | 1 | null): 0 | 1 {
    const mode = this.modes.get(pin);
    if (mode === MODE_OUT) return this.latched(pin);
    if (mode === MODE_OPEN_DRAIN && this.latched(pin) === 0) return 0;
    if (external !== null) return external;
    if (pressed) return 0;
    const pull = this.pulls.get(pin) ?? 0;
    // The board's buttons have an external pull-up: released reads 1.
    if (this.buttonPins.has(pin)) return pull === PULL_DOWN ? 0 : 1;
    return pull === PULL_UP ? 1 : 0;
  }
}
