// Turns a display's MONO_HLSB bytes into canvas pixels, and reads a canvas
// back into 1-bit rows. The read-back is what the e2e test checks: it sees
// what the canvas shows, after on/off, inversion and contrast, not the model.

import type { DisplayView } from '../../../main/common/api';

/** The panel's glass when a pixel is dark, and a lit pixel at full contrast (a white SSD1306). */
const DARK: readonly [number, number, number] = [8, 11, 16];
const LIT: readonly [number, number, number] = [226, 240, 255];
/** Contrast 0 still shows a dim image on the real panel; 255 is full brightness. */
const MIN_BRIGHTNESS = 0.35;

export function litColor(contrast: number): [number, number, number] {
  const k = MIN_BRIGHTNESS + (1 - MIN_BRIGHTNESS) * (Math.min(255, Math.max(0, contrast)) / 255);
  return [0, 1, 2].map((i) => Math.round(DARK[i] + (LIT[i] - DARK[i]) * k)) as [number, number, number];
}

/** Is pixel (x, y) set in the framebuffer (before inversion)? */
export function pixelBit(d: DisplayView, x: number, y: number): boolean {
  const stride = d.width >> 3;
  return ((d.pixels[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1) === 1;
}

/** Fills `img` (d.width x d.height) with what the panel shows now. */
export function paintDisplay(img: ImageData, d: DisplayView): void {
  const lit = litColor(d.contrast);
  const px = img.data;
  for (let y = 0; y < d.height; y++) {
    for (let x = 0; x < d.width; x++) {
      const on = d.on && pixelBit(d, x, y) !== d.inverted;
      const c = on ? lit : DARK;
      const o = (y * d.width + x) * 4;
      px[o] = c[0];
      px[o + 1] = c[1];
      px[o + 2] = c[2];
      px[o + 3] = 255;
    }
  }
}

/** Rows of '#' (lit) and '.' (dark) from RGBA pixels: lit means clearly brighter than the dark glass. */
export function rowsFromRgba(data: Uint8ClampedArray, width: number, height: number): string[] {
  const threshold = (DARK[0] + DARK[1] + DARK[2]) / 3 + 40;
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    let row = '';
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      row += (data[o] + data[o + 1] + data[o + 2]) / 3 > threshold ? '#' : '.';
    }
    rows.push(row);
  }
  return rows;
}
