// The shared-memory inputs on their own (both ends in one thread): values
// read fresh, changes replayed in order, an overrun keeps the newest ones.
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS } from './board-view.js';
import { createInputsBuffer, InputsReader, InputsWriter } from './live-inputs.js';

describe('live inputs in shared memory', () => {
  it('loads a full state, and the reader sees later changes at once', () => {
    const sab = createInputsBuffer();
    const w = new InputsWriter(sab);
    w.load({ ...DEFAULT_INPUTS, adc: { 26: 1234 }, pinLevels: { 5: 1 }, buttons: { BOOT: true } }, (n) => (n === 'BOOT' ? 0 : undefined));
    const r = new InputsReader(sab);
    expect([r.adc(26), r.adc(27), r.pinLevel(5), r.pinLevel(6), r.buttonHeld(0), r.temperature(), r.humidity()]).toEqual([
      1234, 0, 1, null, true, 22.5, 45,
    ]);
    w.setSensor('temperature', -12.25);
    w.setAdc(27, 65535);
    expect([r.temperature(), r.adc(27)]).toEqual([-12.25, 65535]);
    expect(r.hasEvents()).toBe(false);
  });

  it('replays a press and release made between two looks, in order, with the switch level at each step', () => {
    const sab = createInputsBuffer();
    const w = new InputsWriter(sab);
    const r = new InputsReader(sab);
    w.setButton(14, true);
    w.setButton(14, false);
    w.setPinLevel(3, 0);
    w.setPinLevel(3, null);
    expect(r.takeEvents()).toEqual([
      { gpio: 14, pressed: true, level: null },
      { gpio: 14, pressed: false, level: null },
      { gpio: 3, pressed: false, level: 0 },
      { gpio: 3, pressed: false, level: null },
    ]);
    expect(r.takeEvents()).toEqual([]);
  });

  it('after more changes than the ring holds, keeps the newest ones', () => {
    const sab = createInputsBuffer();
    const w = new InputsWriter(sab);
    const r = new InputsReader(sab);
    for (let i = 0; i < 300; i++) w.setPinLevel(7, (i % 2) as 0 | 1);
    const events = r.takeEvents();
    expect(events).toHaveLength(256);
    expect(events.at(-1)).toEqual({ gpio: 7, pressed: false, level: 1 });
  });
});
