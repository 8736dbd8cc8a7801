// The JS side of `_mote_hw`: the only door from Python on the simulated board
// to the host. Every function takes and returns small ints (or a string) and
// never throws, because a JS exception escaping into the interpreter disables
// its garbage collector.

import { Ctl, type BootMode } from '../common/sim-protocol.js';
import type { BoardProfile } from '../common/board-profile.js';
import type { RingReader } from '../common/stdin-ring.js';
import type { OutputStream } from './output-stream.js';
import type { HostReply } from '../common/host-mailbox.js';

const TICKS_MASK = (1 << 30) - 1; // MicroPython ticks wrap at 2^30
const PIN_POST_INTERVAL_MS = 16; // ~60 board-view updates per second at most
const EDGE_RISING = 1;
const EDGE_FALLING = 2;
const MODE_OUT = 1;
const MODE_OPEN_DRAIN = 2;
const PULL_UP = 1;

export interface BridgeHost {
  ring: RingReader;
  out: OutputStream;
  profile: BoardProfile;
  raiseKeyboardInterrupt(): void;
  postPins(outputs: Record<number, 0 | 1>): void;
  postInterruptAck(): void;
  requestReset(mode: BootMode, hard: boolean): never;
  resetCause: number;
  pasteSource(): string;
  /** Receives a value Python hands back to the simulator. */
  result(n: number): void;
  hostCall(service: string, request: unknown, bytes: Uint8Array | undefined, timeoutMs: number): HostReply;
}

export class HwBridge {
  private readonly t0 = performance.now();
  private readonly modes = new Map<number, number>();
  private readonly pulls = new Map<number, number>();
  private readonly latch = new Map<number, 0 | 1>();
  private readonly irqEdges = new Map<number, number>();
  private readonly irqQueue: number[] = [];
  private buttonChangesSeen = 0;
  private pinsDirty = false;
  private lastPinPost = 0;

  constructor(private readonly host: BridgeHost) {
    this.buttonChangesSeen = Atomics.load(host.ring.ctl, Ctl.ButtonChanges);
  }

  /** The object registered as the Python module `_mote_hw`. */
  module(): Record<string, (...a: never[]) => unknown> {
    return {
      ticks_ms: () => Math.floor(performance.now() - this.t0) & TICKS_MASK,
      ticks_us: () => Math.floor((performance.now() - this.t0) * 1000) & TICKS_MASK,
      sleep_ms: (ms: number) => this.sleepMs(ms),
      sleep_us: (us: number) => this.sleepUs(us),
      pin_mode: (pin: number, mode: number, pull: number) => this.pinMode(pin, mode, pull),
      pin_write: (pin: number, v: number) => this.pinWrite(pin, v),
      pin_read: (pin: number) => this.pinRead(pin),
      pin_level: (pin: number) => this.latch.get(pin) ?? 0,
      irq_enable: (pin: number, edges: number) => this.irqEnable(pin, edges),
      irq_next: () => this.irqNext(),
      stdin_read: () => this.stdinRead(),
      echo: (c: number) => this.echo(c),
      board_reset: (hard: number) => this.host.requestReset(hard ? 'power-on' : 'soft-friendly', !!hard),
      reset_cause: () => this.host.resetCause,
      paste_source: () => this.host.pasteSource(),
      result: (n: number) => this.host.result(n),
      host_call: (service: string, requestJson: string, hex: string, timeoutMs: number) => this.hostCallJson(service, requestJson, hex, timeoutMs),
    };
  }

  /** Ctrl-C pending? Then schedule KeyboardInterrupt. Called by every blocking call. */
  checkInterrupt(): boolean {
    const ctl = this.host.ring.ctl;
    if (Atomics.load(ctl, Ctl.Interrupt) === 0) return false;
    Atomics.store(ctl, Ctl.Interrupt, 0);
    this.host.ring.dropThroughInterrupt();
    this.host.raiseKeyboardInterrupt();
    this.host.postInterruptAck();
    return true;
  }

  hasPendingIrq(): boolean {
    this.pollButton();
    return this.irqQueue.length > 0;
  }

  /** Sends the pin levels if they changed and the rate limit allows; returns ms until it will. */
  flushPins(force = false): number {
    if (!this.pinsDirty) return Infinity;
    const wait = this.lastPinPost + PIN_POST_INTERVAL_MS - performance.now();
    if (wait > 0 && !force) return wait;
    this.pinsDirty = false;
    this.lastPinPost = performance.now();
    this.host.postPins(this.snapshot());
    return Infinity;
  }

  snapshot(): Record<number, 0 | 1> {
    const outputs: Record<number, 0 | 1> = {};
    for (const [pin, mode] of this.modes) if (mode === MODE_OUT || mode === MODE_OPEN_DRAIN) outputs[pin] = this.latch.get(pin) ?? 0;
    return outputs;
  }

  private sleepMs(ms: number): void {
    this.host.out.flush();
    const deadline = performance.now() + Math.max(0, ms);
    for (;;) {
      if (this.checkInterrupt() || this.hasPendingIrq()) return;
      const now = performance.now();
      if (now >= deadline) return;
      const seen = this.host.ring.wakeCount();
      this.host.ring.waitForWake(seen, Math.min(deadline - now, this.flushPins()));
    }
  }

  private sleepUs(us: number): void {
    this.host.out.flush();
    this.flushPins();
    const deadline = performance.now() + Math.max(0, us) / 1000;
    // Sub-millisecond waits: Atomics.wait takes fractional milliseconds.
    while (!this.checkInterrupt()) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      this.host.ring.waitForWake(this.host.ring.wakeCount(), left);
    }
  }

  private pinMode(pin: number, mode: number, pull: number): void {
    if (mode >= 0) this.modes.set(pin, mode);
    if (pull >= 0) this.pulls.set(pin, pull);
    this.pinsDirty = true;
    this.flushPins();
    this.checkInterrupt();
  }

  private pinWrite(pin: number, v: number): void {
    if (!this.modes.has(pin)) this.modes.set(pin, MODE_OUT);
    const level: 0 | 1 = v ? 1 : 0;
    if (this.latch.get(pin) !== level) {
      this.latch.set(pin, level);
      this.pinsDirty = true;
    }
    this.flushPins();
    this.checkInterrupt();
  }

  private pinRead(pin: number): number {
    this.checkInterrupt();
    const mode = this.modes.get(pin);
    if (mode === MODE_OUT) return this.latch.get(pin) ?? 0;
    if (pin === this.host.profile.buttonGpio) {
      // The board's button pulls the pin to GND through an external pull-up.
      return Atomics.load(this.host.ring.ctl, Ctl.ButtonPressed) ? 0 : 1;
    }
    return this.pulls.get(pin) === PULL_UP ? 1 : 0;
  }

  private irqEnable(pin: number, edges: number): void {
    if (edges) this.irqEdges.set(pin, edges);
    else this.irqEdges.delete(pin);
    this.pollButton();
    this.irqQueue.length = 0;
  }

  private irqNext(): number {
    this.checkInterrupt();
    this.pollButton();
    return this.irqQueue.shift() ?? -1;
  }

  private pollButton(): void {
    const changes = Atomics.load(this.host.ring.ctl, Ctl.ButtonChanges);
    if (changes === this.buttonChangesSeen) return;
    const pin = this.host.profile.buttonGpio;
    const wanted = this.irqEdges.get(pin) ?? 0;
    // Each change alternates press (falling) and release (rising); replaying
    // them in order keeps fast double-clicks intact.
    const pressedNow = Atomics.load(this.host.ring.ctl, Ctl.ButtonPressed) === 1;
    const n = (changes - this.buttonChangesSeen) | 0;
    for (let i = n - 1; i >= 0; i--) {
      const pressedAfter = i % 2 === 0 ? pressedNow : !pressedNow;
      const edge = pressedAfter ? EDGE_FALLING : EDGE_RISING;
      if (wanted & edge && this.irqQueue.length < 64) this.irqQueue.push((pin << 2) | edge);
    }
    this.buttonChangesSeen = changes;
  }

  private stdinRead(): number {
    this.host.out.flush();
    for (;;) {
      if (this.checkInterrupt()) return -1;
      const seen = this.host.ring.wakeCount();
      const b = this.host.ring.read();
      if (b === 0x03) {
        Atomics.store(this.host.ring.ctl, Ctl.Interrupt, 0);
        this.host.raiseKeyboardInterrupt();
        this.host.postInterruptAck();
        return -1;
      }
      if (b >= 0) return b;
      this.host.ring.waitForWake(seen, this.flushPins());
    }
  }

  // For Python modules: JSON in, JSON out, bytes as hex both ways (a Python
  // bytes object reaches JS only as an opaque proxy). Never throws.
  private hostCallJson(service: string, requestJson: string, hex: string, timeoutMs: number): string {
    let request: unknown;
    try {
      request = JSON.parse(String(requestJson));
    } catch {
      return JSON.stringify({ ok: false, error: 'request is not JSON' });
    }
    const bytes = hex ? Buffer.from(String(hex), 'hex') : undefined;
    const r = this.host.hostCall(String(service), request, bytes, Number(timeoutMs) || 0);
    if (!r.ok) return JSON.stringify(r);
    return JSON.stringify({ ok: true, value: r.value, hex: r.bytes ? Buffer.from(r.bytes).toString('hex') : '' });
  }

  private echo(c: number): void {
    this.host.out.writeRaw(Uint8Array.of(c & 0xff));
  }
}
