// How a lit LED looks on screen. An LED driven at 10% looks far brighter than a
// 10%-grey pixel, so values are lifted along a gamma curve before drawing.

const GAMMA = 1 / 2.2;

function lift(v: number): number {
  return Math.round(255 * (v / 255) ** GAMMA);
}

/** CSS colour for a 0xRRGGBB LED, or null when it is off (all channels 0). */
export function ledCss(color: number): string | null {
  const r = (color >> 16) & 0xff;
  const g = (color >> 8) & 0xff;
  const b = color & 0xff;
  if (r === 0 && g === 0 && b === 0) return null;
  return `rgb(${lift(r)}, ${lift(g)}, ${lift(b)})`;
}

/** Perceived brightness 0..1 of an LED driven at `level` (0..1, e.g. a PWM duty). */
export function ledGlow(level: number): number {
  return Math.min(1, Math.max(0, level)) ** GAMMA;
}
