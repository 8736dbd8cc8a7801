// The simulated board as the back end sees it: inputs of every kind reach
// the running program, bad ones are refused with a reason, and the view
// comes from the board.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSimBoard, type ConnectedBoard } from './board-connection.js';

describe('the simulated ConnectedBoard', () => {
  let dir: string;
  let board: ConnectedBoard;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-conn-'));
    board = await openSimBoard(dir, 'sim-pico');
  });
  afterAll(async () => {
    await board.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('routes every kind of input to the program and reports it in inputs', async () => {
    board.setInput({ kind: 'adc', pin: 27, value: 65535 });
    board.setInput({ kind: 'pin', pin: 3, level: 1 });
    board.setInput({ kind: 'sensor', quantity: 'humidity', value: 80 });
    board.setInput({ kind: 'button', name: 'BUTTON', pressed: true });
    const r = await board.session.run(`from machine import ADC, Pin
print(ADC(27).read_u16(), Pin(3, Pin.IN).value(), Pin(14, Pin.IN).value())`);
    expect(r.stdout.toString()).toBe('65535 1 0\r\n');
    expect(board.inputs).toMatchObject({ adc: { 27: 65535 }, pinLevels: { 3: 1 }, humidity: 80, buttons: { BUTTON: true } });
    board.setInput({ kind: 'button', name: 'BUTTON', pressed: false });
  });

  it('refuses unknown buttons and pins without an ADC, saying which exist', () => {
    expect(() => board.setInput({ kind: 'button', name: 'RESET', pressed: true })).toThrow('has no button "RESET" (buttons: BUTTON)');
    expect(() => board.setInput({ kind: 'adc', pin: 3, value: 1 })).toThrow('GPIO3 is not an ADC pin');
  });

  it('shows what the program drives in its view, and pins events follow', async () => {
    let events = 0;
    const off = board.onPins(() => events++);
    await board.session.run('from machine import Pin, PWM\nPin(25, Pin.OUT).on()\nPWM(Pin(15), freq=50, duty_ns=1_500_000)');
    expect(board.view.outputs[25]).toBe(1);
    expect(board.view.servos).toEqual([{ pin: 15, angle: 90 }]);
    expect(events).toBeGreaterThan(0);
    off();
  });
});
