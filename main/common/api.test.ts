// The argument checks for the board-switching, file-manager and sync calls.
import { describe, expect, it } from 'vitest';
import { API_EVENTS, validateCall } from './api.js';

describe('API validators', () => {
  it('accepts only the simulator or a serial port as a target', () => {
    expect(validateCall('connectTarget', ['sim'])).toBeNull();
    expect(validateCall('connectTarget', ['serial:/dev/ttyACM0'])).toBeNull();
    expect(validateCall('connectTarget', ['serial:COM3'])).toBeNull();
    expect(validateCall('connectTarget', ['serial:'])).toMatch(/serial:<port>/);
    expect(validateCall('connectTarget', ['/dev/ttyACM0'])).toMatch(/serial:<port>/);
    expect(validateCall('connectTarget', ['serial:/dev/x\0'])).toMatch(/NUL/);
    expect(validateCall('connectTarget', [])).toMatch(/expected 1/);
  });

  it('checks file-manager paths', () => {
    expect(validateCall('renameBoard', ['a.py', 'lib/b.py'])).toBeNull();
    expect(validateCall('renameBoard', ['a.py', '../b.py'])).toMatch(/'\.\.'/);
    expect(validateCall('downloadBoardFile', ['main.py', ''])).toMatch(/empty/);
    expect(validateCall('uploadProjectFile', ['main.py', 'main.py'])).toBeNull();
    expect(validateCall('mkdirBoard', ['lib'])).toBeNull();
  });

  it('takes sync options as { deleteRemoved } only', () => {
    expect(validateCall('syncApply', [{ deleteRemoved: true, compileMpy: false }])).toBeNull();
    expect(validateCall('syncApply', [{ deleteRemoved: 'yes', compileMpy: false }])).toMatch(/deleteRemoved must be a boolean/);
    expect(validateCall('syncApply', [{ deleteRemoved: false, compileMpy: 1 }])).toMatch(/compileMpy must be a boolean/);
    expect(validateCall('syncApply', [{ deleteRemoved: false, compileMpy: false, extra: 1 }])).toMatch(/deleteRemoved, compileMpy/);
    expect(validateCall('syncApply', [{ deleteRemoved: false }])).toMatch(/deleteRemoved, compileMpy/);
    expect(validateCall('syncApply', [null])).toMatch(/object/);
    expect(validateCall('syncPreview', [{ compileMpy: true }])).toBeNull();
    expect(validateCall('syncPreview', [])).toMatch(/expected 1 argument/);
  });

  it('lists the progress event', () => {
    expect(API_EVENTS).toContain('transferProgress');
  });
});
