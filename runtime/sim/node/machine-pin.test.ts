// machine.Pin and Signal on the real interpreter: what a program drives shows
// in the board view, and what the user sets in the view (buttons, switches)
// is what the program reads, with IRQs on every edge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileById } from '../common/profiles.js';
import { startTestBoard, type TestBoard } from './sim-test-kit.js';

describe('machine.Pin on the simulated Pico', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('an output pin drives the board view', async () => {
    await tb.exec('from machine import Pin\nled = Pin(25, Pin.OUT)\nled.on()');
    await tb.view((v) => v.outputs[25] === 1, 'GPIO25 high');
    await tb.exec('led.off()');
    await tb.view((v) => v.outputs[25] === 0, 'GPIO25 low');
  });

  it('an input reads the switch that drives it, else its pull', async () => {
    const read = async () => (await tb.exec('print(p.value())')).out.trim();
    await tb.exec('from machine import Pin\np = Pin(5, Pin.IN, Pin.PULL_UP)');
    expect(await read()).toBe('1');
    tb.board.setInput({ kind: 'pin', pin: 5, level: 0 });
    expect(await read()).toBe('0');
    await tb.exec('p.init(pull=Pin.PULL_DOWN)');
    tb.board.setInput({ kind: 'pin', pin: 5, level: 1 });
    expect(await read()).toBe('1');
    tb.board.setInput({ kind: 'pin', pin: 5, level: null });
    expect(await read()).toBe('0');
    expect(tb.board.inputs.pinLevels).toEqual({});
  });

  it('the board button pulls its pin low while held', async () => {
    await tb.exec('b = Pin(14, Pin.IN, Pin.PULL_UP)');
    tb.board.setInput({ kind: 'button', name: 'BUTTON', pressed: true });
    expect((await tb.exec('print(b.value())')).out).toBe('0\n');
    tb.board.setInput({ kind: 'button', name: 'BUTTON', pressed: false });
    expect((await tb.exec('print(b.value())')).out).toBe('1\n');
  });

  it('a press and release between two looks of the program still make a falling and a rising edge', async () => {
    const { output, done } = tb.start(`from machine import Pin
import time
edges = []
b = Pin(14, Pin.IN, Pin.PULL_UP)
b.irq(lambda p: edges.append(p.value()), Pin.IRQ_FALLING | Pin.IRQ_RISING)
print('armed')
time.sleep_ms(200)
while len(edges) < 2:
    time.sleep_ms(10)
print('edges', len(edges))`);
    await output.waitForText('armed');
    tb.board.setInput({ kind: 'button', name: 'BUTTON', pressed: true });
    tb.board.setInput({ kind: 'button', name: 'BUTTON', pressed: false });
    expect((await done).out).toContain('edges 2');
  });

  it('IRQ_RISING from an external switch calls the handler with the pin, once per rising edge', async () => {
    const { output, done } = tb.start(`from machine import Pin
import time
hits = []
s = Pin(6, Pin.IN, Pin.PULL_DOWN)
s.irq(handler=lambda p: hits.append(p), trigger=Pin.IRQ_RISING)
print('armed')
while len(hits) < 2:
    time.sleep_ms(5)
print(hits[0] is s, s.irq().flags() == Pin.IRQ_RISING)`);
    await output.waitForText('armed');
    for (const level of [1, 0, 1, 0] as const) tb.board.setInput({ kind: 'pin', pin: 6, level });
    expect((await done).out).toContain('True True');
  });

  it('pin IRQs run while the REPL is idle, as on a board', async () => {
    await tb.exec(`from machine import Pin
led = Pin(25, Pin.OUT, value=0)
Pin(14, Pin.IN, Pin.PULL_UP).irq(lambda p: led.toggle(), Pin.IRQ_FALLING)`);
    await tb.view((v) => v.outputs[25] === 0, 'LED off');
    tb.board.setInput({ kind: 'button', name: 'BUTTON', pressed: true });
    await tb.view((v) => v.outputs[25] === 1, 'the idle REPL to run the IRQ');
    tb.board.setInput({ kind: 'button', name: 'BUTTON', pressed: false });
    await tb.exec('Pin(14).irq(None)');
  });

  it('Signal(invert=True) drives an active-low LED', async () => {
    const r = await tb.exec(`from machine import Pin, Signal
s = Signal(Pin(15, Pin.OUT), invert=True)
s.on()
print(Pin(15).value(), s.value())
s.off()
print(Pin(15).value(), s.value())`);
    expect(r.out).toBe('0 1\n1 0\n');
  });

  it('an open-drain pin released high reads what the line carries', async () => {
    const r1 = await tb.exec(`od = Pin(7, Pin.OPEN_DRAIN, Pin.PULL_UP)
od.value(0)
print(od.value())
od.value(1)
print(od.value())`);
    expect(r1.out).toBe('0\n1\n');
    tb.board.setInput({ kind: 'pin', pin: 7, level: 0 });
    expect((await tb.exec('print(od.value())')).out).toBe('0\n');
    tb.board.setInput({ kind: 'pin', pin: 7, level: null });
  });

  it('refuses pins and modes the RP2040 lacks with ValueError', async () => {
    const r = await tb.exec(`for args in ((30,), ('NOPE',), (2, 9)):
    try:
        Pin(*args)
    except ValueError as e:
        print('ValueError:', e)`);
    expect(r.out).toBe('ValueError: invalid pin\nValueError: unknown named pin "NOPE"\nValueError: invalid pin mode\n');
  });

  it('refuses inputs the board does not have, with a clear message', () => {
    expect(() => tb.board.setInput({ kind: 'button', name: 'BOOT', pressed: true })).toThrow(/has no button "BOOT" \(buttons: BUTTON\)/);
    expect(() => tb.board.setInput({ kind: 'adc', pin: 5, value: 100 })).toThrow(/GPIO5 is not an ADC pin .*GPIO26, GPIO27, GPIO28/);
    expect(() => tb.board.setInput({ kind: 'pin', pin: 40, level: 1 })).toThrow(/has no GPIO40/);
    expect(() => tb.board.setInput({ kind: 'adc', pin: 26, value: 70000 })).toThrow(/0\.\.65535/);
  });
});

describe('machine.Pin on the simulated ESP32', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard({ profile: profileById('esp32-devkitc') })));
  afterAll(() => tb.close());

  it('input-only pins refuse to drive, missing pins are invalid, and the BOOT button reads low while held', async () => {
    tb.board.setInput({ kind: 'button', name: 'BOOT', pressed: true });
    const r = await tb.exec(`from machine import Pin
print(Pin(34, Pin.IN).value())
for args in ((34, Pin.OUT), (20,)):
    try:
        Pin(*args)
    except ValueError as e:
        print('ValueError:', e)
print(Pin(0, Pin.IN).value())`);
    expect(r.out).toBe('0\nValueError: pin can only be input\nValueError: invalid pin\n0\n');
  });
});
