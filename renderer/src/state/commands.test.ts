import { describe, expect, it, vi } from 'vitest';
import { commandForKey, createCommandDispatcher, listenToMenu, type CommandHandlers, type StudioCommand } from './commands';

function handlers(): CommandHandlers & Record<StudioCommand, ReturnType<typeof vi.fn>> {
  const names: StudioCommand[] = ['run', 'stop', 'softReset', 'hardReset', 'save', 'upload', 'togglePlotter', 'newFile', 'toggleFleet'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as never;
}

const key = (init: Partial<KeyboardEvent>) => ({ ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...init }) as KeyboardEvent;

describe('commands', () => {
  it('maps F5, Shift+F5 and Ctrl/Cmd+S', () => {
    expect(commandForKey(key({ key: 'F5' }))).toBe('run');
    expect(commandForKey(key({ key: 'F5', shiftKey: true }))).toBe('stop');
    expect(commandForKey(key({ key: 's', ctrlKey: true }))).toBe('save');
    expect(commandForKey(key({ key: 'S', metaKey: true }))).toBe('save');
    expect(commandForKey(key({ key: 's' }))).toBeNull();
    expect(commandForKey(key({ key: 's', ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(commandForKey(key({ key: 'L', ctrlKey: true, shiftKey: true }))).toBe('togglePlotter');
  });

  it('drops a command repeated at once (menu accelerator plus keydown)', () => {
    const h = handlers();
    const dispatch = createCommandDispatcher(h);
    dispatch('run');
    dispatch('run');
    dispatch('save');
    expect(h.run).toHaveBeenCalledTimes(1);
    expect(h.save).toHaveBeenCalledTimes(1);
  });

  it('follows the Electron menu when there is one', () => {
    let listener: ((c: 'stop') => void) | null = null;
    const off = vi.fn();
    const seen: StudioCommand[] = [];
    const unsubscribe = listenToMenu({ onCommand: (l) => ((listener = l), off) }, (c) => seen.push(c));
    listener!('stop');
    unsubscribe();
    expect(seen).toEqual(['stop']);
    expect(off).toHaveBeenCalled();
    expect(listenToMenu(null, () => {})).toBeTypeOf('function');
  });
});
