// The main.py a new project starts with: blink the chosen board's LED, and
// report its button when the button is a GPIO a program can read.

import type { BoardProfile } from '../../../runtime/sim/common/board-profile.js';
import { pyStr } from '../../../runtime/common/py-literal.js';

/** Ids from 64 up are parts reached by name only (e.g. the Pico W's LED on the wireless chip). */
const FIRST_NON_GPIO = 64;

function ledExpression(p: BoardProfile): { code: string; note: string } {
  const led = p.leds[0];
  if (!led) return { code: 'Pin(2, Pin.OUT)', note: 'wire an LED (with a 330 ohm resistor) from GPIO 2 to GND' };
  const named = p.pinNames[led.name] === led.gpio;
  if (named && led.gpio >= FIRST_NON_GPIO) return { code: `Pin(${pyStr(led.name)}, Pin.OUT)`, note: 'the onboard LED (by name: it is not on a GPIO)' };
  if (named) return { code: `Pin(${pyStr(led.name)}, Pin.OUT)`, note: `the onboard LED, on GPIO ${led.gpio}` };
  return { code: `Pin(${led.gpio}, Pin.OUT)`, note: `an LED on GPIO ${led.gpio} (wired to GND through a resistor)` };
}

export function starterMain(p: BoardProfile): string {
  const led = ledExpression(p);
  const button = p.buttons.find((b) => b.gpio < FIRST_NON_GPIO && p.gpios.includes(b.gpio));
  const lines = [
    `# A new project for the ${p.title ?? p.name}.`,
    '# Press F5 (or Run) to run it on the board; Shift+F5 (or Stop) stops it.',
    'from machine import Pin',
    'import time',
    '',
    `led = ${led.code}  # ${led.note}`,
  ];
  if (button) lines.push(`button = Pin(${button.gpio}, Pin.IN, Pin.PULL_UP)  # ${button.name}: reads 0 while pressed`);
  lines.push('', 'while True:', '    led.toggle()');
  if (button) lines.push('    if button.value() == 0:', `        print(${pyStr(`${button.name} pressed`)})`);
  lines.push('    time.sleep(0.5)', '');
  return lines.join('\n');
}
