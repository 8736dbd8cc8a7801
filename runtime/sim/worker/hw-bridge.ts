// The JS side of `_mote_hw`: the only door from Python on the simulated board
// to the host. Every function takes and returns small ints, floats or strings
// and never throws, because a JS exception escaping into the interpreter
// disables its garbage collector. The checks that must raise are in Python.

import { Ctl, type BootMode } from '../common/sim-protocol.js';
import type { BoardProfile } from '../common/board-profile.js';
import type { BoardView } from '../common/board-view.js';
import type { HostReply } from '../common/host-mailbox.js';
import type { InputsReader } from '../common/live-inputs.js';
import type { RingReader } from '../common/stdin-ring.js';
import type { OutputStream } from './output-stream.js';
import { MODE_ALT, PinModel } from './pin-model.js';
import { TimerModel } from './timer-model.js';
import { PwmModel, StripModel } from './output-models.js';
import type { ViewPoster } from './view-poster.js';

const TICKS_MASK = (1 << 30) - 1; // MicroPython ticks wrap at 2^30
/** event_next(): bit 0 set = timer (id in the other bits), clear = pin edge ((pin << 2 | edge) << 1). */
const EVENT_TIMER = 1;

export interface BridgeHost {
  ring: RingReader;
  inputs: InputsReader;
  out: OutputStream;
  profile: BoardProfile;
  view: ViewPoster;
  raiseKeyboardInterrupt(): void;
  postInterruptAck(): void;
  /** cause: machine.reset_cause() of the next life when it is not implied by `hard`. */
  requestReset(mode: BootMode, hard: boolean, cause?: number): never;
  resetCause: number;
  pasteSource(): string;
  /** Receives a value Python hands back to the simulator. */
  result(n: number): void;
  hostCall(service: string, request: unknown, bytes: Uint8Array | undefined, timeoutMs: number): HostReply;
  /** A pin's output latch changed (peripherals watch chip selects). */
  pinChanged?(pin: number, level: 0 | 1): void;
}

/** board_reset(kind) */
const RESET_SOFT = 0;
const RESET_HARD = 1;
const RESET_DEEPSLEEP = 2;
const DEEPSLEEP_RESET_CAUSE = 4;

export class HwBridge {
  private readonly t0 = performance.now();
  readonly pins: PinModel;
  private readonly timers = new TimerModel();
  private readonly pwm = new PwmModel();
  private readonly strips = new StripModel();
  /** Python is running a callback: events wait until it returns. */
  private eventsHeld = false;

  constructor(private readonly host: BridgeHost) {
    this.pins = new PinModel(host.inputs, host.profile);
  }

  /** The object registered as the Python module `_mote_hw`. */
  module(): Record<string, (...a: never[]) => unknown> {
    return {
      ticks_ms: () => Math.floor(performance.now() - this.t0) & TICKS_MASK,
      ticks_us: () => Math.floor((performance.now() - this.t0) * 1000) & TICKS_MASK,
      ticks_cpu: () => Math.floor((performance.now() - this.t0) * 1000) & TICKS_MASK,
      sleep_ms: (ms: number) => this.sleepMs(ms),
      sleep_us: (us: number) => this.sleepUs(us),
      pin_mode: (pin: number, mode: number, pull: number) => this.pinMode(pin, mode, pull),
      pin_write: (pin: number, v: number) => this.pinWrite(pin, v),
      pin_read: (pin: number) => this.pinRead(pin),
      pin_level: (pin: number) => this.pins.latched(pin),
      irq_enable: (pin: number, edges: number) => this.pins.enableIrq(pin, edges),
      event_next: () => this.eventNext(),
      event_pending: () => (this.hasPendingEvent() ? 1 : 0),
      events_hold: (on: number) => void (this.eventsHeld = !!on),
      pwm_set: (pin: number, freq: number, duty: number) => this.pwmSet(pin, freq, duty),
      pwm_stop: (pin: number) => this.pwmStop(pin),
      // Bit 16: an event waits, so a polling loop lets callbacks run, as on a board.
      adc_read: (gpio: number) => this.inputs().adc(gpio) | (this.hasPendingEvent() ? 0x10000 : 0),
      temperature_mc: () => Math.round(this.inputs().temperature() * 1000),
      timer_start: (id: number, periodUs: number, oneShot: number) => this.timers.start(id, Number(periodUs), !!oneShot),
      timer_stop: (id: number) => this.timers.stop(id),
      strip_bpp: (pin: number, bpp: number) => this.strips.setBpp(pin, bpp),
      strip_write: (pin: number, hex: string) => this.stripWrite(pin, hex),
      host_time: () => hostLocalSeconds(),
      stdin_read: () => this.stdinRead(),
      echo: (c: number) => this.echo(c),
      board_reset: (kind: number) => this.boardReset(kind),
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

  /** A pin IRQ or a timer callback is waiting for Python. */
  hasPendingEvent(): boolean {
    return !this.eventsHeld && (this.pins.hasEdges() || this.timers.msUntilNext() === 0);
  }

  /** Ms until a timer is due (Infinity if none runs). */
  msUntilTimer(): number {
    return this.eventsHeld ? Infinity : this.timers.msUntilNext();
  }

  /** The core's part of the board view. */
  contribute(view: BoardView): void {
    const outputs = this.pins.outputs();
    for (const pin of Object.keys(outputs)) if (this.pwm.has(Number(pin))) delete outputs[Number(pin)];
    view.outputs = outputs;
    view.pwm = this.pwm.view();
    view.servos = this.pwm.servos();
    view.strips = this.strips.view();
  }

  private inputs(): InputsReader {
    return this.host.inputs;
  }

  private sleepMs(ms: number): void {
    this.host.out.flush();
    const deadline = performance.now() + Math.max(0, ms);
    for (;;) {
      if (this.checkInterrupt() || this.hasPendingEvent()) return;
      const now = performance.now();
      if (now >= deadline) return;
      const seen = this.host.ring.wakeCount();
      this.host.ring.waitForWake(seen, Math.min(deadline - now, this.host.view.flush(), this.msUntilTimer()));
    }
  }

  private sleepUs(us: number): void {
    this.host.out.flush();
    this.host.view.flush();
    const deadline = performance.now() + Math.max(0, us) / 1000;
    // Sub-millisecond waits: Atomics.wait takes fractional milliseconds.
    while (!this.checkInterrupt()) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      this.host.ring.waitForWake(this.host.ring.wakeCount(), left);
    }
  }

  /** Returns 1 when an event waits, so Python dispatches it without another call. */
  private pinMode(pin: number, mode: number, pull: number): number {
    if (mode >= 0 && mode !== MODE_ALT) this.pwm.stop(pin);
    this.pins.setMode(pin, mode, pull);
    this.host.view.markDirty();
    this.checkInterrupt();
    return this.hasPendingEvent() ? 1 : 0;
  }

  private pinWrite(pin: number, v: number): number {
    if (this.pins.write(pin, v)) {
      this.host.view.markDirty();
      this.host.pinChanged?.(pin, v ? 1 : 0);
    }
    this.checkInterrupt();
    return this.hasPendingEvent() ? 1 : 0;
  }

  /** The level, plus 2 when an event waits for Python. */
  private pinRead(pin: number): number {
    this.checkInterrupt();
    this.host.view.flush();
    return this.pins.read(pin) | (this.hasPendingEvent() ? 2 : 0);
  }

  private eventNext(): number {
    this.checkInterrupt();
    const edge = this.pins.nextEdge();
    if (edge >= 0) return edge << 1;
    const timer = this.timers.takeDue();
    return timer >= 0 ? (timer << 1) | EVENT_TIMER : -1;
  }

  private pwmSet(pin: number, freq: number, duty: number): void {
    this.pins.setMode(pin, MODE_ALT, -1);
    this.pwm.set(pin, Number(freq), duty);
    this.host.view.markDirty();
  }

  private pwmStop(pin: number): void {
    if (this.pwm.stop(pin)) this.host.view.markDirty();
  }

  private stripWrite(pin: number, hex: string): void {
    this.pins.setMode(pin, MODE_ALT, -1);
    this.strips.write(pin, Buffer.from(String(hex), 'hex'));
    this.host.view.markDirty();
    this.checkInterrupt();
  }

  private boardReset(kind: number): never {
    // The view the program left goes out with the reset (e.g. LED on before machine.reset()).
    this.host.view.flush(true);
    if (kind === RESET_DEEPSLEEP) return this.host.requestReset('power-on', true, DEEPSLEEP_RESET_CAUSE);
    return this.host.requestReset(kind === RESET_HARD ? 'power-on' : 'soft-friendly', kind === RESET_HARD);
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
      this.host.ring.waitForWake(seen, this.host.view.flush());
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

/** The host's wall-clock time in its own time zone, as seconds since 1970 (a board's RTC has no zones). */
function hostLocalSeconds(): number {
  const now = Date.now();
  return (now - new Date(now).getTimezoneOffset() * 60_000) / 1000;
}
