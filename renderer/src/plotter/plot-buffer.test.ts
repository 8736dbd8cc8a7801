import { describe, expect, it } from 'vitest';
import { PlotBuffer } from './plot-buffer';
import { plotCsv } from './plot-csv';
import { ticksFor, yRangeOf } from './plot-chart';

const sample = (...values: number[]) => ({ values, names: null });

describe('PlotBuffer', () => {
  it('keeps the newest samples in order once it wraps', () => {
    const b = new PlotBuffer(4);
    for (let i = 0; i < 10; i++) b.push(sample(i, i * 10));
    expect(b.length).toBe(4);
    expect(b.received).toBe(10);
    expect([0, 1, 2, 3].map((i) => b.value(i, 0))).toEqual([6, 7, 8, 9]);
    expect([0, 1, 2, 3].map((i) => b.sampleNumber(i))).toEqual([6, 7, 8, 9]);
    expect(b.latest()).toEqual([9, 90]);
  });

  it('widens to the widest sample and leaves missing values NaN', () => {
    const b = new PlotBuffer(8);
    b.push(sample(1));
    b.push(sample(2, 3));
    expect(b.seriesCount).toBe(2);
    expect(b.value(0, 1)).toBeNaN();
    expect(b.names).toEqual(['value 1', 'value 2']);
  });

  it('takes series names from name:value lines, and clear() starts over', () => {
    const b = new PlotBuffer(8);
    b.push({ values: [1, 2], names: ['temp', 'hum'] });
    expect(b.names).toEqual(['temp', 'hum']);
    b.clear();
    expect(b.length).toBe(0);
    expect(b.seriesCount).toBe(0);
    expect(b.latest()).toEqual([]);
  });
});

describe('plotCsv', () => {
  it('writes a header and one row per held sample, empty cells for missing values', () => {
    const b = new PlotBuffer(3);
    b.push({ values: [1.5, 2], names: ['a,b', 'say "hi"'] });
    b.push(sample(3));
    b.push(sample(Infinity, -4));
    b.push(sample(5, 6));
    expect(plotCsv(b)).toBe('sample,"a,b","say ""hi"""\r\n1,3,\r\n2,inf,-4\r\n3,5,6\r\n');
  });
});

describe('chart scales', () => {
  it('pads the y range and centres a flat line', () => {
    const b = new PlotBuffer(8);
    b.push(sample(0, 100));
    b.push(sample(50, NaN));
    const r = yRangeOf(b, 0, 2)!;
    expect(r.min).toBeLessThan(0);
    expect(r.max).toBeGreaterThan(100);
    b.clear();
    b.push(sample(7));
    expect(yRangeOf(b, 0, 1)).toEqual({ min: 7 - 0.7, max: 7 + 0.7 });
    b.clear();
    expect(yRangeOf(b, 0, 0)).toBeNull();
  });

  it('puts ticks on round numbers inside the range', () => {
    expect(ticksFor({ min: -3, max: 65535 })).toEqual([0, 20000, 40000, 60000]);
    expect(ticksFor({ min: 0.1, max: 0.9 })).toEqual([0.2, 0.4, 0.6, 0.8]);
    // Two series spanning 15..100: several ticks, not just 50.
    expect(ticksFor({ min: 10.9, max: 104.2 })).toEqual([20, 40, 60, 80, 100]);
  });
});
