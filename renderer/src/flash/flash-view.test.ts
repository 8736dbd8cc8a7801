import { describe, expect, it } from 'vitest';
import { fileProblem, flashPercent, flashablePorts } from './flash-view';

describe('flash dialog helpers', () => {
  it('shows write progress as a percentage and full once done', () => {
    expect(flashPercent(null)).toBe(0);
    expect(flashPercent({ phase: 'connecting', message: 'resetting' })).toBe(0);
    expect(flashPercent({ phase: 'writing', done: 65536, total: 262144 })).toBe(25);
    expect(flashPercent({ phase: 'done' })).toBe(100);
  });

  it('offers serial ports only, noting who holds a busy one', () => {
    const ports = flashablePorts([
      { id: 'sim', label: 'Simulated Pico', kind: 'sim', likely: true, busy: null },
      { id: 'serial:/dev/ttyUSB0', label: '/dev/ttyUSB0: CP2102', kind: 'serial', likely: true, busy: 'picocom (pid 42)' },
      { id: 'webrepl:ws://10.0.0.2:8266', label: 'ws://10.0.0.2:8266', kind: 'webrepl', likely: true, busy: null },
    ]);
    expect(ports).toEqual([{ port: '/dev/ttyUSB0', label: '/dev/ttyUSB0: CP2102 (busy: picocom (pid 42))' }]);
  });

  it('explains what is wrong with the chosen file', () => {
    expect(fileProblem('', false)).toMatch(/Choose a firmware image/);
    expect(fileProblem('notes.txt', false)).toMatch(/\.bin file .* \.uf2 file/);
    expect(fileProblem('RPI_PICO.uf2', true)).toMatch(/Erase is for ESP boards/);
    expect(fileProblem('/tmp/ESP32_GENERIC.bin', true)).toBeNull();
  });
});
