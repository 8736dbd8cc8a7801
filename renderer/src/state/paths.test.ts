import { describe, expect, it } from 'vitest';
import { checkRelativePath, formatSize, withPythonExtension } from './paths';

describe('file names typed by the user', () => {
  it('adds .py only when there is no extension', () => {
    expect(withPythonExtension('blink')).toBe('blink.py');
    expect(withPythonExtension(' lib/sensor ')).toBe('lib/sensor.py');
    expect(withPythonExtension('data.json')).toBe('data.json');
    expect(withPythonExtension('lib.d/x')).toBe('lib.d/x.py');
  });

  it('accepts paths inside the project and explains the rest', () => {
    expect(checkRelativePath('main.py')).toBeNull();
    expect(checkRelativePath('lib/sensor.py')).toBeNull();
    for (const bad of ['', '   ', '/etc/passwd', '..\\x', '../x.py', 'a//b.py', './a.py', 'a\u0000.py', 'what?.py', ' main.py']) {
      expect(checkRelativePath(bad), JSON.stringify(bad)).toMatch(/\w/);
    }
  });

  it('formats sizes for the board file list', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(20 * 1024)).toBe('20 KB');
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
