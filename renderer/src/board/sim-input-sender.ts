// Sends board-view inputs to the simulator. A dragged slider fires dozens of
// input events a second; only the newest value of each control is sent, at
// most once per animation frame, so the simulator never lags behind the hand.

import type { SimInput } from '../../../main/common/api';

function keyOf(i: SimInput): string {
  switch (i.kind) {
    case 'button':
      return `button:${i.name}`;
    case 'adc':
      return `adc:${i.pin}`;
    case 'pin':
      return `pin:${i.pin}`;
    case 'sensor':
      return `sensor:${i.quantity}`;
  }
}

export class SimInputSender {
  readonly #pending = new Map<string, SimInput>();
  #frame = 0;

  constructor(private readonly send: (input: SimInput) => void) {}

  /** Queues `input`; an older queued value of the same control is replaced. */
  set(input: SimInput): void {
    this.#pending.set(keyOf(input), input);
    if (this.#frame === 0) this.#frame = requestAnimationFrame(() => this.flush());
  }

  flush(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    for (const input of batch) this.send(input);
  }
}
