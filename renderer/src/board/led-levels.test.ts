import { describe, expect, it } from 'vitest';
import type { PinSnapshot } from '../../../main/common/api';
import { DEFAULT_INPUTS, EMPTY_VIEW } from '../../../runtime/sim/common/board-view';
import { ledCss, ledGlow } from './led-color';
import { driveLevel } from './led-levels';

const pins = (over: Partial<PinSnapshot>): PinSnapshot => ({ ...EMPTY_VIEW, buttonPressed: false, inputs: DEFAULT_INPUTS, ...over });

describe('LED levels', () => {
  it('drives an LED fully from an output pin and by duty cycle from PWM', () => {
    expect(driveLevel(pins({ outputs: { 25: 1 } }), 25)).toBe(1);
    expect(driveLevel(pins({ outputs: { 25: 0 } }), 25)).toBe(0);
    expect(driveLevel(pins({ pwm: { 25: { freq: 1000, dutyU16: 16384 } } }), 25)).toBeCloseTo(0.25, 3);
    expect(driveLevel(pins({}), 25)).toBeNull();
  });

  it('glows brighter than linear at low duty, as an eye sees an LED', () => {
    expect(ledGlow(0)).toBe(0);
    expect(ledGlow(1)).toBe(1);
    expect(ledGlow(0.1)).toBeGreaterThan(0.3);
  });

  it('draws a NeoPixel colour lifted along the same curve; black is off', () => {
    expect(ledCss(0)).toBeNull();
    expect(ledCss(0xff0000)).toBe('rgb(255, 0, 0)');
    expect(ledCss(0x330000)).toMatch(/^rgb\((\d+), 0, 0\)$/);
    expect(Number(/rgb\((\d+)/.exec(ledCss(0x330000)!)![1])).toBeGreaterThan(0x33);
  });
});
