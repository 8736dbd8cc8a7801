import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, parseWindowState, saveWindowState } from './window-state.js';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };

describe('window state', () => {
  it('falls back to defaults for missing or malformed files', () => {
    expect(parseWindowState('not json')).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('null')).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{"width":"big","height":10,"x":1.5,"y":2}')).toEqual(DEFAULT_WINDOW_STATE);
    expect(loadWindowState('/nonexistent/mote/window-state.json')).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('round-trips through its file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mote-window-state-'));
    try {
      const file = path.join(dir, 'nested', 'window-state.json');
      const state = { x: 10, y: 20, width: 1000, height: 700, maximized: true };
      saveWindowState(file, state);
      expect(loadWindowState(file)).toEqual(state);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps a window that is on a display where it was', () => {
    const state = { x: 100, y: 50, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(state, [screen])).toEqual(state);
  });

  it('drops a position that is no longer on any display and shrinks to fit', () => {
    const state = { x: 2500, y: 100, width: 2560, height: 1440, maximized: false };
    expect(fitToDisplays(state, [screen])).toEqual({ width: 1920, height: 1080, maximized: false });
  });

  it('accepts a position on a second display', () => {
    const second = { x: 1920, y: 0, width: 1280, height: 1024 };
    const state = { x: 2000, y: 30, width: 1000, height: 700, maximized: false };
    expect(fitToDisplays(state, [screen, second])).toEqual(state);
  });
});
