import { describe, expect, it } from 'vitest';
import { Listeners } from './listeners.js';

describe('Listeners', () => {
  it('calls each subscriber in order until it unsubscribes, even from inside its own call', () => {
    const seen: string[] = [];
    const l = new Listeners<[string, number]>();
    const offA = l.add((s, n) => seen.push(`a ${s}${n}`));
    const offB = l.add((s) => {
      seen.push(`b ${s}`);
      offB();
    });
    l.emit('x', 1);
    l.emit('y', 2);
    offA();
    offA();
    l.emit('z', 3);
    expect(seen).toEqual(['a x1', 'b x', 'a y2']);
  });
});
