// Brightness of the board picture's LEDs: a plain output is fully on or off,
// a PWM output glows by its duty cycle. The picture marks each LED with
// data-gpio-led="N"; this sets data-on and a --mote-led-level CSS variable
// (perceived brightness 0..1) on it.

import type { PinSnapshot } from '../../../main/common/api';
import { ledGlow } from './led-color';

/** 0..1 drive level of `gpio`, or null when the pin is neither an output nor PWM. */
export function driveLevel(pins: PinSnapshot, gpio: number): number | null {
  const pwm = pins.pwm[gpio];
  if (pwm) return pwm.dutyU16 / 65535;
  const level = pins.outputs[gpio];
  return level === undefined ? null : level;
}

export function showLedLevels(root: ParentNode, pins: PinSnapshot): void {
  for (const el of root.querySelectorAll<SVGElement>('[data-gpio-led]')) {
    const level = driveLevel(pins, Number(el.dataset.gpioLed)) ?? 0;
    const on = level > 0 ? 'true' : 'false';
    if (el.dataset.on !== on) el.dataset.on = on;
    const glow = ledGlow(level).toFixed(3);
    if (el.style.getPropertyValue('--mote-led-level') !== glow) el.style.setProperty('--mote-led-level', glow);
    el.dataset.pwm = level > 0 && level < 1 ? 'true' : 'false';
  }
}
