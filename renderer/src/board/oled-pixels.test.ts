import { describe, expect, it } from 'vitest';
import type { DisplayView } from '../../../main/common/api';
import { litColor, paintDisplay, pixelBit, rowsFromRgba } from './oled-pixels';

/** A 16x2 display with pixels (0,0), (9,0) and (15,1) set. */
function display(over: Partial<DisplayView> = {}): DisplayView {
  return {
    kind: 'ssd1306',
    bus: 'i2c0',
    address: 0x3c,
    width: 16,
    height: 2,
    on: true,
    inverted: false,
    contrast: 0x7f,
    pixels: Uint8Array.of(0b1000_0000, 0b0100_0000, 0, 0b0000_0001),
    ...over,
  };
}

function paintedRows(d: DisplayView): string[] {
  // ImageData is a DOM type; its data layout (RGBA bytes, row-major) is all paintDisplay uses.
  const img = { data: new Uint8ClampedArray(d.width * d.height * 4), width: d.width, height: d.height } as ImageData;
  paintDisplay(img, d);
  return rowsFromRgba(img.data, d.width, d.height);
}

describe('OLED pixels', () => {
  it('reads MONO_HLSB bits, MSB leftmost', () => {
    const d = display();
    expect(pixelBit(d, 0, 0)).toBe(true);
    expect(pixelBit(d, 1, 0)).toBe(false);
    expect(pixelBit(d, 9, 0)).toBe(true);
    expect(pixelBit(d, 15, 1)).toBe(true);
  });

  it('paints lit pixels and reads them back from the RGBA data', () => {
    expect(paintedRows(display())).toEqual(['#........#......', '...............#']);
  });

  it('shows the inverse when inverted, and nothing when the display is off', () => {
    expect(paintedRows(display({ inverted: true }))).toEqual(['.########.######', '###############.']);
    expect(paintedRows(display({ on: false }))).toEqual(['.'.repeat(16), '.'.repeat(16)]);
  });

  it('dims with contrast but a lit pixel stays readable at contrast 0', () => {
    const [dim] = litColor(0);
    const [bright] = litColor(255);
    expect(dim).toBeLessThan(bright);
    expect(paintedRows(display({ contrast: 0 }))).toEqual(['#........#......', '...............#']);
  });
});
