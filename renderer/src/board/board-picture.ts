// Drives the inlined board picture (resources/boards/<profile>.svg). Every
// picture follows one convention, so the board view, the peripherals overlay
// and the tests find the same parts on any board:
//
//   <svg class="mote-board" viewBox=...>      one root; its own <style>, ids prefixed per board
//   [data-testid=led][data-gpio-led=N]         the LED examples blink, driven by output N
//                                              (N >= 64: not a GPIO, e.g. the Pico W's LED on
//                                              the wireless chip); this module sets data-on,
//                                              led-levels.ts sets data-pwm and --mote-led-level;
//                                              inside: .mote-led-glow and .mote-led-body
//   [data-testid=board-button][data-gpio-button=N]
//                                              the board's button (role=button, tabindex=0);
//                                              data-pressed="true|false"; inside .mote-button-cap
//   g.mote-pin[data-pin=P][data-gpio=N]        header pin P (physical number or "J2-5"), GPIO N
//                                              when it is one; power and GND pins have no data-gpio
//   .mote-pin-dot[data-gpio=N]                 data-level="0|1" while GPIO N is an output
//   .mote-pill-{gpio,input,gnd,power,misc}     the pin label's colour by kind
//
// Every GPIO on the header has a labelled pin, so a part can be drawn next to
// the pin it is wired to (the dot's cx/cy give its position in the viewBox).
// scripts/draw-board-pictures.mjs draws the Pico W and ESP32-DevKitC pictures.

import type { PinSnapshot } from '../../../main/common/api';

/** The simulated Pico's LED and button, for a view that has no profile yet. */
export const LED_GPIO = 25;
export const BUTTON_GPIO = 14;

export interface BoardPicture {
  led: SVGElement | null;
  /** The output that lights the LED (from data-gpio-led). */
  ledGpio: number;
  button: SVGElement | null;
  dots: Map<number, SVGElement>;
  /** GPIO -> where its pin's level dot sits in the picture's viewBox. */
  pinPositions: Map<number, { x: number; y: number }>;
}

export function findParts(root: ParentNode): BoardPicture {
  const dots = new Map<number, SVGElement>();
  const pinPositions = new Map<number, { x: number; y: number }>();
  for (const el of root.querySelectorAll<SVGElement>('.mote-pin-dot[data-gpio]')) {
    const gpio = Number(el.dataset.gpio);
    dots.set(gpio, el);
    pinPositions.set(gpio, { x: Number(el.getAttribute('cx')), y: Number(el.getAttribute('cy')) });
  }
  const led = root.querySelector<SVGElement>('[data-testid="led"]');
  const ledGpio = Number(led?.dataset.gpioLed ?? LED_GPIO);
  return {
    led,
    ledGpio: Number.isInteger(ledGpio) ? ledGpio : LED_GPIO,
    button: root.querySelector<SVGElement>('[data-testid="board-button"]'),
    dots,
    pinPositions,
  };
}

/** Sets an attribute only when it changes, so a flood of equal snapshots costs nothing. */
function set(el: Element, name: string, value: string | null): void {
  if (el.getAttribute(name) === value) return;
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

export function showPins(picture: BoardPicture, pins: PinSnapshot, buttonPressed: boolean): void {
  if (picture.led) set(picture.led, 'data-on', pins.outputs[picture.ledGpio] === 1 ? 'true' : 'false');
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
