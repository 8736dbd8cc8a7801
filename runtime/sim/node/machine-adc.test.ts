// machine.ADC on the real interpreter: read_u16 follows the slider the user
// moves in the board view, with a real converter's 12-bit steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileById } from '../common/profiles.js';
import { startTestBoard, type TestBoard } from './sim-test-kit.js';

describe('machine.ADC on the simulated Pico', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('reads the slider of its pin, by GPIO, by channel and by Pin', async () => {
    tb.board.setInput({ kind: 'adc', pin: 26, value: 0 });
    tb.board.setInput({ kind: 'adc', pin: 27, value: 65535 });
    tb.board.setInput({ kind: 'adc', pin: 28, value: 32768 });
    const r = await tb.exec(`from machine import ADC, Pin
print(ADC(26).read_u16(), ADC(0).read_u16(), ADC(Pin(27)).read_u16(), ADC(1).read_u16(), ADC(28).read_u16())`);
    // 32768 is 2048 in 12 bits, scaled back as the port scales it.
    expect(r.out).toBe('0 0 65535 65535 32776\n');
    expect(tb.board.inputs.adc).toEqual({ 26: 0, 27: 65535, 28: 32768 });
  });

  it('a program polling the ADC sees the slider move while it runs', async () => {
    tb.board.setInput({ kind: 'adc', pin: 26, value: 1000 });
    const { output, done } = tb.start(`import time
a = ADC(26)
first = a.read_u16()
print('first', first)
while a.read_u16() == first:
    time.sleep_ms(5)
print('now', a.read_u16())`);
    await output.waitForText('first');
    tb.board.setInput({ kind: 'adc', pin: 26, value: 50000 });
    // 50000 is 3125 in 12 bits, which the port scales back to 50012.
    expect((await done).out).toContain('now 50012');
  });

  it('the temperature sensor channel follows the temperature slider', async () => {
    tb.board.setInput({ kind: 'sensor', quantity: 'temperature', value: 27 });
    const at27 = await tb.exec('t = ADC(ADC.CORE_TEMP)\nv = t.read_u16() * 3.3 / 65535\nprint(round(27 - (v - 0.706) / 0.001721))');
    tb.board.setInput({ kind: 'sensor', quantity: 'temperature', value: 60 });
    const at60 = await tb.exec('v = t.read_u16() * 3.3 / 65535\nprint(round(27 - (v - 0.706) / 0.001721))');
    expect([at27.out, at60.out]).toEqual(['27\n', '60\n']);
  });

  it('refuses a pin without ADC and a channel that does not exist with ValueError', async () => {
    const r = await tb.exec(`for src in (Pin(5), 7):
    try:
        ADC(src)
    except ValueError as e:
        print(e)`);
    expect(r.out).toBe("Pin doesn't have ADC capabilities\ninvalid channel\n");
  });
});

describe('machine.ADC on the simulated ESP32', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard({ profile: profileById('esp32-devkitc') })));
  afterAll(() => tb.close());

  it('reads ADC pins of the profile and refuses others', async () => {
    const pin = Number(Object.keys(tb.board.profile.adcPins)[0]);
    tb.board.setInput({ kind: 'adc', pin, value: 65535 });
    const r = await tb.exec(`from machine import ADC, Pin
a = ADC(Pin(${pin}))
print(a.read_u16(), a.read())
try:
    ADC(Pin(5))
except ValueError as e:
    print(e)`);
    expect(r.out).toBe('65535 4095\ninvalid pin\n');
  });
});
