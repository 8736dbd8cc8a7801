// Remembers the main window's size, position and maximized state between
// launches, in a small JSON file under app.getPath('userData'). Only types come
// from Electron, so this module is testable without an Electron binary.

import { readFileSync } from 'node:fs';
import type { Rectangle } from 'electron';
import { writeFileAtomicSync } from '../../runtime/node/atomic-file.js';

export interface WindowState {
  /** Absent when the window should be centred (first launch, or last place is off-screen). */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WINDOW_SIZE = { width: 720, height: 480 };

/** Reads a saved state; anything missing or malformed falls back to the defaults. */
export function parseWindowState(text: string): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (raw === null || typeof raw !== 'object') return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 100_000;
  const state: WindowState = {
    width: int(r.width) && r.width >= MIN_WINDOW_SIZE.width ? r.width : DEFAULT_WINDOW_STATE.width,
    height: int(r.height) && r.height >= MIN_WINDOW_SIZE.height ? r.height : DEFAULT_WINDOW_STATE.height,
    maximized: r.maximized === true,
  };
  if (int(r.x) && int(r.y)) {
    state.x = r.x;
    state.y = r.y;
  }
  return state;
}

/** Keeps the window reachable: a display may have been unplugged since the last run. */
export function fitToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const largest = workAreas.reduce((a, b) => (a.width * a.height >= b.width * b.height ? a : b));
  const fitted: WindowState = {
    width: Math.min(state.width, largest.width),
    height: Math.min(state.height, largest.height),
    maximized: state.maximized,
  };
  if (state.x === undefined || state.y === undefined) return fitted;
  // Visible enough to grab: the title bar's top-left 100x40 lies on some display.
  const grab = { x: state.x, y: state.y, width: 100, height: 40 };
  if (workAreas.some((area) => contains(area, grab))) {
    fitted.x = state.x;
    fitted.y = state.y;
  }
  return fitted;
}

function contains(outer: Rectangle, inner: Rectangle): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

export function loadWindowState(file: string): WindowState {
  try {
    return parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

/** Written synchronously because it runs while the window is closing; via a
 *  temporary file so a crash mid-write cannot leave half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  writeFileAtomicSync(file, `${JSON.stringify(state, null, 2)}\n`);
}
