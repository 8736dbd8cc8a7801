// Drives the inlined board picture (resources/boards/sim-pico.svg). The SVG
// marks what can change with data attributes; this module only sets them:
//   [data-testid=led]              data-on="true|false"
//   [data-testid=board-button]     data-pressed="true|false"
//   .mote-pin-dot[data-gpio=N]     data-level="0|1" when GPIO N is an output

import type { PinSnapshot } from '../../../main/common/api';

export const LED_GPIO = 25;
export const BUTTON_GPIO = 14;

export interface BoardPicture {
  led: SVGElement | null;
  button: SVGElement | null;
  dots: Map<number, SVGElement>;
}

export function findParts(root: ParentNode): BoardPicture {
  const dots = new Map<number, SVGElement>();
  for (const el of root.querySelectorAll<SVGElement>('.mote-pin-dot[data-gpio]')) {
    dots.set(Number(el.dataset.gpio), el);
  }
  return {
    led: root.querySelector<SVGElement>('[data-testid="led"]'),
    button: root.querySelector<SVGElement>('[data-testid="board-button"]'),
    dots,
  };
}

/** Sets an attribute only when it changes, so a flood of equal snapshots costs nothing. */
function set(el: Element, name: string, value: string | null): void {
  if (el.getAttribute(name) === value) return;
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

export function showPins(picture: BoardPicture, pins: PinSnapshot, buttonPressed: boolean): void {
  if (picture.led) set(picture.led, 'data-on', pins.outputs[LED_GPIO] === 1 ? 'true' : 'false');
  if (picture.button) set(picture.button, 'data-pressed', buttonPressed ? 'true' : 'false');
  for (const [gpio, dot] of picture.dots) {
    const level = pins.outputs[gpio];
    set(dot, 'data-level', level === 0 || level === 1 ? String(level) : null);
  }
}

/** Output pins in GPIO order, for the text line under the picture. */
export function outputList(pins: PinSnapshot): Array<{ gpio: number; level: 0 | 1 }> {
  return Object.entries(pins.outputs)
    .map(([gpio, level]) => ({ gpio: Number(gpio), level }))
    .filter((p) => Number.isInteger(p.gpio))
    .sort((a, b) => a.gpio - b.gpio);
}
