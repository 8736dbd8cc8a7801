import { describe, expect, it } from 'vitest';
import { checkPolicy, decide, DEFAULT_POLICY, splitIntoWaves } from './wave-plan.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `d${i}`);

describe('waves', () => {
  it('splits 1%, 10%, 50%, 100% with at least 5 in the first wave, stable for a salt', () => {
    const w = splitIntoWaves(ids(1000), DEFAULT_POLICY, 's');
    expect(w.map((x) => x.length)).toEqual([10, 90, 400, 500]);
    expect(splitIntoWaves(ids(1000), DEFAULT_POLICY, 's')).toEqual(w);
    expect(splitIntoWaves(ids(20), DEFAULT_POLICY, 's').map((x) => x.length)).toEqual([5, 5, 10]);
    expect(new Set(w.flat()).size).toBe(1000);
  });

  it('puts offline devices after every online one, so a small first wave is all online', () => {
    const all = ids(40);
    const offline = new Set(all.slice(0, 6));
    const w = splitIntoWaves(all, DEFAULT_POLICY, 's', offline);
    expect(w.map((x) => x.length)).toEqual([5, 15, 20]);
    expect(w[0].some((id) => offline.has(id))).toBe(false);
    expect(w[1].some((id) => offline.has(id))).toBe(false);
    expect(w[2].slice(-6).sort()).toEqual([...offline].sort());
    expect(new Set(w.flat()).size).toBe(40);
  });

  it('judges failures before success, only after the minimum has finished', () => {
    const p = { ...DEFAULT_POLICY, failureRatio: 0.2, minFinished: 5, successRatio: 0.8 };
    expect(decide(p, 0, [{ wave: 0, size: 10, byState: { failed: 2 } }, { wave: 1, size: 10, byState: {} }])).toEqual({ kind: 'none' });
    expect(decide(p, 0, [{ wave: 0, size: 10, byState: { failed: 2, succeeded: 3 } }, { wave: 1, size: 10, byState: {} }]).kind).toBe('pause');
    expect(decide(p, 0, [{ wave: 0, size: 10, byState: { failed: 1, succeeded: 8 } }, { wave: 1, size: 10, byState: {} }]).kind).toBe('advance');
    expect(decide(p, 1, [{ wave: 0, size: 10, byState: { succeeded: 10 } }, { wave: 1, size: 10, byState: { succeeded: 8 } }]).kind).toBe('complete');
  });

  it('explains a bad policy', () => {
    expect(() => checkPolicy({ ...DEFAULT_POLICY, waves: [0.5, 0.2, 1] })).toThrow(/increase/);
    expect(() => checkPolicy({ ...DEFAULT_POLICY, waves: [0.5] })).toThrow(/whole group/);
  });
});
