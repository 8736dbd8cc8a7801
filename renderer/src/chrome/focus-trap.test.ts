import { describe, expect, it } from 'vitest';
import { wrapIndex } from './focus-trap';

describe('focus trap wrap', () => {
  it('sends Tab from the last control to the first, and Shift+Tab from the first to the last', () => {
    expect(wrapIndex(3, 2, false)).toBe(0);
    expect(wrapIndex(3, 0, true)).toBe(2);
  });

  it('leaves the moves in between to the browser', () => {
    expect(wrapIndex(3, 0, false)).toBeNull();
    expect(wrapIndex(3, 1, false)).toBeNull();
    expect(wrapIndex(3, 1, true)).toBeNull();
    expect(wrapIndex(3, 2, true)).toBeNull();
  });

  it('starts from the panel itself (or from outside) at the first control, or the last going back', () => {
    expect(wrapIndex(3, -1, false)).toBe(0);
    expect(wrapIndex(3, -1, true)).toBe(2);
  });

  it('keeps a lone control focused either way', () => {
    expect(wrapIndex(1, 0, false)).toBe(0);
    expect(wrapIndex(1, 0, true)).toBe(0);
    expect(wrapIndex(1, -1, false)).toBe(0);
  });

  it('has nowhere to send focus when there is no control', () => {
    expect(wrapIndex(0, -1, false)).toBeNull();
    expect(wrapIndex(0, -1, true)).toBeNull();
  });
});
