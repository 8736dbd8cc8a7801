// What the user sets in the board view (buttons, switches, sliders, sensor
// values), in shared memory so a running Python program reads it fresh: the
// worker cannot receive messages while Python runs. The host also appends
// every button or switch change to a small event ring, so a quick
// press-release between two of the program's reads still makes both edges.

import type { SimInputs } from './board-view.js';

/** GPIO numbers the shared inputs cover (ESP32 goes to 39; Pico W numbers its wireless-chip pins and BOOTSEL above 63). */
export const MAX_GPIO = 128;
const EVENT_SLOTS = 256;

const enum Slot {
  /** Events written by the host (running count). */
  EventHead = 0,
  /** Degrees C × 1000. */
  Temperature = 1,
  /** %RH × 1000. */
  Humidity = 2,
  Adc = 8,
  /** -1: nothing drives the pin; else 0 or 1. */
  PinLevel = Adc + MAX_GPIO,
  /** 1 while a button on that GPIO is held (it pulls the pin to GND). */
  Button = PinLevel + MAX_GPIO,
  Events = Button + MAX_GPIO,
  Size = Events + EVENT_SLOTS,
}

/** A change of what drives a GPIO, as the worker replays it. */
export interface InputEvent {
  gpio: number;
  /** The button on that GPIO after the change. */
  pressed: boolean;
  /** The external level after the change. */
  level: 0 | 1 | null;
}

export function createInputsBuffer(): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(Slot.Size * 4);
  new Int32Array(sab).fill(-1, Slot.PinLevel, Slot.PinLevel + MAX_GPIO);
  return sab;
}

function encode(e: InputEvent): number {
  return (e.gpio << 4) | (e.pressed ? 8 : 0) | (e.level === null ? 2 : e.level);
}

function decode(v: number): InputEvent {
  const l = v & 3;
  return { gpio: v >> 4, pressed: (v & 8) !== 0, level: l === 2 ? null : (l as 0 | 1) };
}

/** Host side. Wake the worker after a change (the caller owns the control slots). */
export class InputsWriter {
  private readonly a: Int32Array;

  constructor(sab: SharedArrayBuffer) {
    this.a = new Int32Array(sab);
  }

  /** Copies everything, e.g. into a fresh worker after a reset (no events). */
  load(inputs: SimInputs, buttonGpio: (name: string) => number | undefined): void {
    this.a.fill(0, Slot.Adc, Slot.Adc + MAX_GPIO);
    this.a.fill(-1, Slot.PinLevel, Slot.PinLevel + MAX_GPIO);
    this.a.fill(0, Slot.Button, Slot.Button + MAX_GPIO);
    for (const [pin, v] of Object.entries(inputs.adc)) this.setAdc(Number(pin), v);
    for (const [pin, v] of Object.entries(inputs.pinLevels)) Atomics.store(this.a, Slot.PinLevel + Number(pin), v);
    for (const [name, pressed] of Object.entries(inputs.buttons)) {
      const g = buttonGpio(name);
      if (g !== undefined && pressed) Atomics.store(this.a, Slot.Button + g, 1);
    }
    this.setSensor('temperature', inputs.temperature);
    this.setSensor('humidity', inputs.humidity);
  }

  setAdc(gpio: number, value: number): void {
    Atomics.store(this.a, Slot.Adc + gpio, value);
  }

  setSensor(q: 'temperature' | 'humidity', value: number): void {
    Atomics.store(this.a, q === 'temperature' ? Slot.Temperature : Slot.Humidity, Math.round(value * 1000));
  }

  setButton(gpio: number, pressed: boolean): void {
    Atomics.store(this.a, Slot.Button + gpio, pressed ? 1 : 0);
    this.event(gpio);
  }

  setPinLevel(gpio: number, level: 0 | 1 | null): void {
    Atomics.store(this.a, Slot.PinLevel + gpio, level ?? -1);
    this.event(gpio);
  }

  private event(gpio: number): void {
    const head = Atomics.load(this.a, Slot.EventHead);
    const level = Atomics.load(this.a, Slot.PinLevel + gpio);
    const e: InputEvent = { gpio, pressed: Atomics.load(this.a, Slot.Button + gpio) === 1, level: level < 0 ? null : (level as 0 | 1) };
    Atomics.store(this.a, Slot.Events + (head & (EVENT_SLOTS - 1)), encode(e));
    Atomics.store(this.a, Slot.EventHead, (head + 1) | 0);
  }
}

/** Worker side: current values, and the changes since the last look. */
export class InputsReader {
  private readonly a: Int32Array;
  private tail: number;

  constructor(sab: SharedArrayBuffer) {
    this.a = new Int32Array(sab);
    this.tail = Atomics.load(this.a, Slot.EventHead);
  }

  adc(gpio: number): number {
    return gpio >= 0 && gpio < MAX_GPIO ? Atomics.load(this.a, Slot.Adc + gpio) : 0;
  }

  pinLevel(gpio: number): 0 | 1 | null {
    const v = gpio >= 0 && gpio < MAX_GPIO ? Atomics.load(this.a, Slot.PinLevel + gpio) : -1;
    return v < 0 ? null : (v as 0 | 1);
  }

  buttonHeld(gpio: number): boolean {
    return gpio >= 0 && gpio < MAX_GPIO && Atomics.load(this.a, Slot.Button + gpio) === 1;
  }

  temperature(): number {
    return Atomics.load(this.a, Slot.Temperature) / 1000;
  }

  humidity(): number {
    return Atomics.load(this.a, Slot.Humidity) / 1000;
  }

  hasEvents(): boolean {
    return Atomics.load(this.a, Slot.EventHead) !== this.tail;
  }

  /** The changes since the last call, oldest first; after an overrun only the newest ring's worth. */
  takeEvents(): InputEvent[] {
    const head = Atomics.load(this.a, Slot.EventHead);
    let n = (head - this.tail) | 0;
    if (n === 0) return [];
    if (n > EVENT_SLOTS) n = EVENT_SLOTS;
    const out: InputEvent[] = [];
    for (let i = n; i > 0; i--) out.push(decode(Atomics.load(this.a, Slot.Events + ((head - i) & (EVENT_SLOTS - 1)))));
    this.tail = head;
    return out;
  }
}
