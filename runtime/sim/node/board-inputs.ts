// What the user set in a simulated board's view (buttons, switches, sliders,
// sensor values): checked against the board's profile, kept across resets as
// real switches would be, and written into the current worker's shared memory.

import type { BoardProfile } from '../common/board-profile.js';
import { checkSimInput, DEFAULT_INPUTS, type SimInput, type SimInputs } from '../common/board-view.js';
import { InputsWriter } from '../common/live-inputs.js';

export class BoardInputs {
  private state: SimInputs = structuredClone(DEFAULT_INPUTS);
  private writer: InputsWriter | null = null;

  constructor(private readonly profile: BoardProfile) {}

  get current(): SimInputs {
    return this.state;
  }

  /** A fresh worker: it gets everything set so far. */
  attach(sab: SharedArrayBuffer): void {
    this.writer = new InputsWriter(sab);
    this.writer.load(this.state, (name) => this.buttonGpio(name));
  }

  /** Throws a clear error for an input the board does not have. */
  set(input: SimInput): void {
    const why = checkSimInput(input) ?? this.problem(input);
    if (why) throw new Error(why);
    const s = this.state;
    const w = this.writer;
    switch (input.kind) {
      case 'button':
        this.state = { ...s, buttons: { ...s.buttons, [input.name]: input.pressed } };
        w?.setButton(this.buttonGpio(input.name)!, input.pressed);
        break;
      case 'adc':
        this.state = { ...s, adc: { ...s.adc, [input.pin]: input.value } };
        w?.setAdc(input.pin, input.value);
        break;
      case 'pin': {
        const pinLevels = { ...s.pinLevels };
        if (input.level === null) delete pinLevels[input.pin];
        else pinLevels[input.pin] = input.level;
        this.state = { ...s, pinLevels };
        w?.setPinLevel(input.pin, input.level);
        break;
      }
      case 'sensor':
        this.state = { ...s, [input.quantity]: input.value };
        w?.setSensor(input.quantity, input.value);
        break;
    }
  }

  private problem(input: SimInput): string | null {
    const p = this.profile;
    switch (input.kind) {
      case 'button':
        return this.buttonGpio(input.name) === undefined
          ? `${p.name} has no button "${input.name}" (buttons: ${p.buttons.map((b) => b.name).join(', ') || 'none'})`
          : null;
      case 'adc':
        return input.pin in p.adcPins
          ? null
          : `GPIO${input.pin} is not an ADC pin on ${p.name} (ADC pins: ${Object.keys(p.adcPins).map((g) => `GPIO${g}`).join(', ')})`;
      case 'pin':
        return p.gpios.includes(input.pin) ? null : `${p.name} has no GPIO${input.pin}`;
      case 'sensor':
        return null;
    }
  }

  private buttonGpio(name: string): number | undefined {
    return this.profile.buttons.find((b) => b.name === name)?.gpio;
  }
}
