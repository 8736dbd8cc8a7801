import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SimInput } from '../../../main/common/api';
import { SimInputSender } from './sim-input-sender';

describe('SimInputSender', () => {
  let frames: Array<() => void>;
  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => {});
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends only the newest value of each control, once per frame', () => {
    const sent: SimInput[] = [];
    const sender = new SimInputSender((i) => sent.push(i));
    for (let v = 0; v <= 1000; v += 100) sender.set({ kind: 'adc', pin: 26, value: v });
    sender.set({ kind: 'sensor', quantity: 'temperature', value: 30 });
    sender.set({ kind: 'adc', pin: 27, value: 5 });
    expect(sent).toEqual([]);
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(sent).toEqual([
      { kind: 'adc', pin: 26, value: 1000 },
      { kind: 'sensor', quantity: 'temperature', value: 30 },
      { kind: 'adc', pin: 27, value: 5 },
    ]);
    sender.set({ kind: 'pin', pin: 3, level: null });
    expect(frames).toHaveLength(2);
  });
});
