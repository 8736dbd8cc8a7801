// The UART with TX jumpered to RX: bytes come back one character time after
// they are sent, the TX buffer takes only what fits, the RX buffer drops
// what does not fit. (The waiting itself is Python's, tested in machine-bus.)
import { describe, expect, it } from 'vitest';
import { SteppedClock } from './stepped-clock.js';
import { UART_DEFAULTS, UartLoopback } from './uart-loopback.js';

function uart(format: Partial<typeof UART_DEFAULTS> = {}) {
  const clock = new SteppedClock();
  const u = new UartLoopback(() => clock.now());
  u.init({ ...UART_DEFAULTS, baudrate: 9600, ...format });
  return { u, clock };
}

const text = (s: string) => new TextEncoder().encode(s);

describe('UART loopback', () => {
  it('takes 10 bits per 8N1 character and 12 per 8E2', () => {
    expect(uart().u.charMs()).toBeCloseTo(10 / 9.6, 6);
    expect(uart({ parity: 2, stop: 2 }).u.charMs()).toBeCloseTo(12 / 9.6, 6);
  });

  it('receives what it sent once the characters have crossed the wire', () => {
    const { u, clock } = uart();
    expect(u.write(text('hello'))).toBe(5);
    expect(u.any()).toBe(0);
    expect(u.txdone()).toBe(false);
    expect(u.nextArrivalUs()).toBe(Math.ceil(u.charMs() * 1000));
    clock.advance(2.1); // two characters at ~1.04 ms
    expect(u.any()).toBe(2);
    expect(u.txWaitUs(false)).toBe(Math.ceil((5 * u.charMs() - 2.1) * 1000));
    clock.advance(5);
    expect(u.txdone()).toBe(true);
    expect(u.nextArrivalUs()).toBe(-1);
    expect(String.fromCharCode(...u.read(10))).toBe('hello');
  });

  it('stops a line read after the newline', () => {
    const { u, clock } = uart();
    u.write(text('ab\ncd'));
    clock.advance(10);
    expect(String.fromCharCode(...u.read(100, true))).toBe('ab\n');
    expect(String.fromCharCode(...u.read(100, true))).toBe('cd');
  });

  it('takes only what fits in the TX buffer and says when there is room again', () => {
    const { u, clock } = uart({ txbuf: 32 });
    expect(u.write(new Uint8Array(40))).toBe(33); // one character on the wire plus 32 waiting
    expect(u.write(new Uint8Array(1))).toBe(0);
    const wait = u.txWaitUs(true);
    expect(wait).toBe(Math.ceil(u.charMs() * 1000));
    clock.advance(wait / 1000);
    expect(u.write(new Uint8Array(2))).toBe(1);
  });

  it('drops bytes beyond the receive buffer', () => {
    const { u, clock } = uart({ baudrate: 115200, rxbuf: 32 });
    u.write(new Uint8Array(40).map((_, i) => i));
    clock.advance(10);
    expect(u.any()).toBe(32);
    expect(u.read(40)).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });
});
