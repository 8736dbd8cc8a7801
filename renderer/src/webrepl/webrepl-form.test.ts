import { describe, expect, it } from 'vitest';
import { webReplFormProblem, webReplPasswordProblem } from './webrepl-form';

describe('WebREPL form checks', () => {
  it('wants an address and a 4-9 character password', () => {
    expect(webReplFormProblem('', 'secret')).toMatch(/address/);
    expect(webReplFormProblem('http://x', 'secret')).toMatch(/ws:\/\//);
    expect(webReplFormProblem('192.168.4.1', 'abc')).toMatch(/4 to 9/);
    expect(webReplFormProblem('192.168.4.1', 'abcdefghij')).toMatch(/4 to 9/);
    expect(webReplFormProblem('ws://192.168.4.1:8266', 'abcd')).toBeNull();
    expect(webReplPasswordProblem('ab\ncd')).toMatch(/line breaks/);
  });
});
