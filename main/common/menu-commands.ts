// Commands the Electron application menu sends to the renderer on the
// `mote:menu` channel. The preload exposes them as `window.moteMenu.onCommand`.
// They are the actions only the UI can complete (it holds the editor text);
// menu items the main process can finish alone (Open Folder, Quit, zoom) never
// reach the renderer. Browser mode has no application menu.

export const MENU_COMMANDS = ['save', 'run', 'stop', 'softReset', 'hardReset', 'upload', 'togglePlotter', 'newProject', 'openExamples', 'toggleFleet', 'togglePackages', 'flashFirmware'] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

/** What the preload exposes as `window.moteMenu`. */
export interface MoteMenuBridge {
  /** Calls `listener` for each command chosen in the menu; returns an unsubscribe function. */
  onCommand(listener: (command: MenuCommand) => void): () => void;
}
