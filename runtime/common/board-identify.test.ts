import { describe, expect, it } from 'vitest';
import { IdentifyError, parseIdentify, parsePyLiteral } from './board-identify.js';

describe('parsePyLiteral', () => {
  it('reads the literals repr() prints', () => {
    expect(parsePyLiteral("{'a': None, 'b': (1, -2, 3.5), 'c': [True, False], 'd': (), 'e': (7,), 'f': b'\\x00\\xff'}")).toEqual({
      a: null,
      b: [1, -2, 3.5],
      c: [true, false],
      d: [],
      e: [7],
      f: '\x00\xff',
    });
  });

  it('unescapes strings in both quote styles', () => {
    expect(parsePyLiteral(`'it\\'s "q" \\n\\t\\\\'`)).toBe('it\'s "q" \n\t\\');
    expect(parsePyLiteral(`"it's"`)).toBe("it's");
  });

  it('decodes UTF-8 text and the per-byte \\x escapes of non-unicode builds', () => {
    // The identify line is read as latin1, so UTF-8 arrives as one char per byte.
    expect(parsePyLiteral(Buffer.from("'héllo 世'", 'utf8').toString('latin1'))).toBe('héllo 世');
    expect(parsePyLiteral("'\\xc3\\xa9'")).toBe('é');
    // A lone \xe9 is not UTF-8: keep it as the latin1 character.
    expect(parsePyLiteral("'\\xe9'")).toBe('é');
  });

  it('returns bytes as one character per byte, even when they would be valid UTF-8', () => {
    expect(parsePyLiteral("b'\\xc3\\xa9\\x00'")).toBe('\xc3\xa9\x00');
  });

  it('rejects what is not a literal', () => {
    expect(() => parsePyLiteral('<object at 0x2000>')).toThrow(/expected a value/);
    expect(() => parsePyLiteral("{'a': 1")).toThrow();
    expect(() => parsePyLiteral("'abc")).toThrow(/unterminated/);
  });
});

describe('parseIdentify', () => {
  it('reads MicroPython 1.9.2 on a micro:bit (no _machine, no statvfs), ignoring other output', () => {
    const out =
      'boot.py says hi\r\n' +
      "MOTE-ID {'platform': 'microbit', '_mpy': None, 'uname': ('microbit', 'microbit', '1.0.1', 'micro:bit v1.0.1+unknown on 2023-02-24; MicroPython v1.9.2-34-gd64154c73 on 2017-09-01', 'micro:bit with nRF51822'), 'name': 'micropython', 'mem': (9232, 3520), '_machine': None, 'version': (1, 9, 2), '_build': None}\r\n";
    expect(parseIdentify(out)).toEqual({
      implementation: 'micropython',
      version: '1.9.2',
      platform: 'microbit',
      machine: 'micro:bit with nRF51822',
      mpy: null,
      build: null,
      uname: {
        sysname: 'microbit',
        nodename: 'microbit',
        release: '1.0.1',
        version: 'micro:bit v1.0.1+unknown on 2023-02-24; MicroPython v1.9.2-34-gd64154c73 on 2017-09-01',
        machine: 'micro:bit with nRF51822',
      },
      memFree: 9232,
      memAlloc: 3520,
      fsSize: null,
      fsFree: null,
    });
  });

  it('reads a current board with a version tag, _machine, _build and statvfs', () => {
    const out =
      "MOTE-ID {'name': 'micropython', 'version': (1, 29, 0, 'preview'), 'platform': 'qemu', '_machine': 'mps2-an385 with Cortex-M3', '_mpy': 6918, '_build': 'MPS2_AN385', 'mem': (100000, 2000), 'statvfs': (4096, 4096, 512, 500)}\r\n";
    const info = parseIdentify(out);
    expect(info).toMatchObject({ version: '1.29.0-preview', machine: 'mps2-an385 with Cortex-M3', mpy: 6918, build: 'MPS2_AN385', uname: null });
    expect(info.fsSize).toBe(512 * 4096);
    expect(info.fsFree).toBe(500 * 4096);
  });

  it('says what the board printed when the line is missing or broken', () => {
    expect(() => parseIdentify('Traceback...\r\n')).toThrow(IdentifyError);
    expect(() => parseIdentify("MOTE-ID {'name': <function>}\r\n")).toThrow(/cannot read the identify line.*MOTE-ID/);
  });
});
