// Commands reach the IDE three ways: toolbar buttons, keys (F5, Ctrl+S) and the
// Electron application menu. An Electron menu accelerator can deliver the same
// key press both as a menu command and as a keydown, so a command repeated
// within a few milliseconds is dropped.

import type { MenuCommand, MoteMenuBridge } from '../../../main/common/menu-commands';

export type StudioCommand = MenuCommand | 'newFile';

export type CommandHandlers = Record<StudioCommand, () => void>;

const REPEAT_WINDOW_MS = 150;

export function createCommandDispatcher(handlers: CommandHandlers): (command: StudioCommand) => void {
  const lastRun = new Map<StudioCommand, number>();
  return (command) => {
    const now = performance.now();
    if (now - (lastRun.get(command) ?? -Infinity) < REPEAT_WINDOW_MS) return;
    lastRun.set(command, now);
    handlers[command]();
  };
}

/** The command a key press means, if any. */
export function commandForKey(e: KeyboardEvent): StudioCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  if (e.key === 'F5' && !mod && !e.altKey) return e.shiftKey ? 'stop' : 'run';
  if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's') return 'save';
  // The Arduino IDE's serial plotter key.
  if (mod && !e.altKey && e.shiftKey && e.key.toLowerCase() === 'l') return 'togglePlotter';
  return null;
}

/** Follows the Electron menu, when there is one (browser mode has none). */
export function listenToMenu(bridge: MoteMenuBridge | null, dispatch: (command: StudioCommand) => void): () => void {
  if (!bridge || typeof bridge.onCommand !== 'function') return () => {};
  const off = bridge.onCommand((command) => dispatch(command));
  return typeof off === 'function' ? off : () => {};
}
