// DEVELOPMENT ONLY: made-up peripherals for the fake back end, so the board
// view's OLED, servo, strip, PWM LED and plotter can be looked at without the
// simulator. Frame n of a little animation; nothing here is the real models.

import type { BoardView, DisplayView, SimInputs } from '../../../main/common/api';

const W = 128;
const H = 64;

function display(n: number): DisplayView {
  const pixels = new Uint8Array((W / 8) * H);
  const set = (x: number, y: number) => {
    if (x >= 0 && x < W && y >= 0 && y < H) pixels[y * (W / 8) + (x >> 3)] |= 0x80 >> (x & 7);
  };
  for (let x = 0; x < W; x++) {
    set(x, 0);
    set(x, H - 1);
  }
  for (let y = 0; y < H; y++) {
    set(0, y);
    set(W - 1, y);
  }
  // A sine wave scrolling by, and a ball bouncing.
  for (let x = 2; x < W - 2; x++) set(x, Math.round(40 + 12 * Math.sin((x + n * 3) / 9)));
  const bx = 10 + Math.abs(((n * 3) % 200) - 100);
  const by = 8 + Math.abs(((n * 2) % 40) - 20);
  for (let dy = -3; dy <= 3; dy++) for (let dx = -3; dx <= 3; dx++) if (dx * dx + dy * dy <= 10) set(bx + dx, by + dy);
  return { kind: 'ssd1306', bus: 'i2c0', address: 0x3c, width: W, height: H, on: true, inverted: false, contrast: 0xcf, pixels };
}

function hue(h: number): number {
  const f = (k: number) => {
    const x = (k + h / 60) % 6;
    return Math.round(255 * Math.max(0, Math.min(1, Math.min(x, 4 - x))));
  };
  return (f(5) << 16) | (f(3) << 8) | f(1);
}

export function fakeWorkbench(n: number, inputs: SimInputs): Omit<BoardView, 'outputs'> & { line: string } {
  const angle = 90 + 80 * Math.sin(n / 15);
  const pot = inputs.adc[26] ?? 0;
  return {
    pwm: { 15: { freq: 1000, dutyU16: Math.round(32767 + 32767 * Math.sin(n / 8)) }, 16: { freq: 50, dutyU16: Math.round(((0.5 + (angle / 180) * 2) / 20) * 65535) } },
    servos: [{ pin: 16, angle }],
    strips: [{ pin: 22, colors: Array.from({ length: 8 }, (_, i) => hue((n * 8 + i * 45) % 360)) }],
    displays: [display(n)],
    line: `(${pot + Math.round(Math.random() * 64)}, ${(inputs.temperature + Math.sin(n / 20)).toFixed(2)})\n`,
  };
}
