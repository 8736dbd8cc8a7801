import { describe, expect, it } from 'vitest';
import { MAX_SERIES, parsePlotLine, PlotLineDecoder, type PlotSample } from './plot-parser';

const values = (line: string) => parsePlotLine(line)?.values ?? null;

describe('parsePlotLine', () => {
  it('reads printed tuples, lists and 1-tuples', () => {
    expect(values('(1, 2.5, -3)')).toEqual([1, 2.5, -3]);
    expect(values('[10, 20]')).toEqual([10, 20]);
    expect(values('(42,)')).toEqual([42]);
    expect(values('(1e3, -2.5E-2, .5, +7)')).toEqual([1000, -0.025, 0.5, 7]);
  });

  it('reads comma- and space-separated numbers and a lone number', () => {
    expect(values('1,2,3')).toEqual([1, 2, 3]);
    expect(values(' 4 , 5 ')).toEqual([4, 5]);
    expect(values('4   5\t6')).toEqual([4, 5, 6]);
    expect(values('32768')).toEqual([32768]);
  });

  it('reads name:value pairs with their names', () => {
    expect(parsePlotLine('temp:22.5 hum:45')).toEqual({ values: [22.5, 45], names: ['temp', 'hum'] });
    expect(parsePlotLine('temp: 22.5, hum: 45')).toEqual({ values: [22.5, 45], names: ['temp', 'hum'] });
    expect(parsePlotLine('x=1 y=-2')).toEqual({ values: [1, -2], names: ['x', 'y'] });
  });

  it('keeps inf and nan as MicroPython prints them', () => {
    const v = values('(inf, -inf, nan)')!;
    expect(v[0]).toBe(Infinity);
    expect(v[1]).toBe(-Infinity);
    expect(Number.isNaN(v[2])).toBe(true);
  });

  it('ignores text, prompts, tracebacks and half-numeric lines', () => {
    for (const line of [
      '',
      '>>> ',
      '>>> print(1)',
      'Traceback (most recent call last):',
      'hello 1 2',
      '("a", 1)',
      '(1, 2',
      '1,,2',
      'value: 1 2',
      '1 b:2',
      'MicroPython v1.27.0 on 2025-12-10; Mote Simulated Pico with RP2040-sim',
      '0x10',
      '1.2.3',
    ]) {
      expect(parsePlotLine(line), line).toBeNull();
    }
  });

  it('keeps at most MAX_SERIES values', () => {
    const line = Array.from({ length: 20 }, (_, i) => i).join(',');
    expect(values(line)).toHaveLength(MAX_SERIES);
  });
});

describe('PlotLineDecoder', () => {
  const collect = () => {
    const got: PlotSample[] = [];
    return { got, d: new PlotLineDecoder((s) => got.push(s)) };
  };
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('assembles lines split across chunks, with CRLF endings', () => {
    const { got, d } = collect();
    d.push(bytes('(1, 2'));
    d.push(bytes(')\r\n3,'));
    expect(got.map((s) => s.values)).toEqual([[1, 2]]);
    d.push(bytes('4\r\nnot data\r\n5\r\n'));
    expect(got.map((s) => s.values)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('keeps a UTF-8 character split across chunks whole (a named series)', () => {
    const { got, d } = collect();
    const b = bytes('µs:12\n');
    d.push(b.slice(0, 1));
    d.push(b.slice(1));
    // "µs" is not an ASCII identifier, so it is text, and the next line still parses.
    d.push(bytes('us:12\n'));
    expect(got).toEqual([{ values: [12], names: ['us'] }]);
  });

  it('drops an overlong line without losing the next one', () => {
    const { got, d } = collect();
    d.push(bytes('1,'.repeat(400)));
    d.push(bytes('1,'.repeat(400)));
    d.push(bytes('9\n7,8\n'));
    expect(got.map((s) => s.values)).toEqual([[7, 8]]);
  });

  it('reset() forgets a half line', () => {
    const { got, d } = collect();
    d.push(bytes('12'));
    d.reset();
    d.push(bytes('3\n'));
    expect(got.map((s) => s.values)).toEqual([[3]]);
  });
});
