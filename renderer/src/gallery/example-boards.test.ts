import { describe, expect, it } from 'vitest';
import type { ExampleInfo } from '../../../main/common/api';
import { boardNames, suitsBoard } from './example-boards';

const example = (profiles: string[]): ExampleInfo => ({ id: 'x', title: 'X', description: 'An example.', profiles, libs: [] });
const names = { 'pico-w': 'Raspberry Pi Pico W', 'esp32-devkitc': 'ESP32-DevKitC' };

describe('gallery board labels', () => {
  it('an example for every board suits any project; one for some boards only suits those', () => {
    expect(suitsBoard(example([]), { current: 'sim-pico', names })).toBe(true);
    expect(suitsBoard(example(['pico-w', 'esp32-devkitc']), { current: 'pico-w', names })).toBe(true);
    expect(suitsBoard(example(['pico-w', 'esp32-devkitc']), { current: 'sim-pico', names })).toBe(false);
    // A back end that cannot say which board the project is for marks nothing as unsuitable.
    expect(suitsBoard(example(['pico-w']), { current: null, names: {} })).toBe(true);
  });

  it('names the boards, falling back to the profile id', () => {
    expect(boardNames(example(['pico-w', 'esp32-devkitc']), { current: null, names })).toBe('Raspberry Pi Pico W, ESP32-DevKitC');
    expect(boardNames(example(['pico-2w']), { current: null, names })).toBe('pico-2w');
  });
});
