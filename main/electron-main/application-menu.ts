// The application menu. Items the main process can complete alone (Open Folder,
// Quit, zoom, About, docs) are handled here; items that need the editor's text
// (Save, Run, Upload…) go to the renderer as a MenuCommand.

import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../common/menu-commands.js';

export const DOCS_URL = 'https://docs.micropython.org/en/latest/';

export interface MenuActions {
  /** Developer items (DevTools, force reload) are shown only when true. */
  isDev: boolean;
  isMac: boolean;
  sendCommand(command: MenuCommand): void;
  openFolder(): void;
  showAbout(): void;
  openDocs(): void;
}

export function buildApplicationMenu(actions: MenuActions): Menu {
  const command = (label: string, name: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.sendCommand(name),
  });

  const template: MenuItemConstructorOptions[] = [
    ...(actions.isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        command('New Project…', 'newProject', 'CmdOrCtrl+Shift+N'),
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFolder() },
        command('Examples…', 'openExamples'),
        command('Save', 'save', 'CmdOrCtrl+S'),
        { type: 'separator' },
        actions.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Board',
      // Function keys, because Ctrl+C and Ctrl+D belong to the terminal, where
      // they reach the board as interrupt and soft reset. F5 / Shift+F5 are the
      // keys the UI itself answers in browser mode (renderer/src/state/commands.ts).
      submenu: [
        command('Run', 'run', 'F5'),
        command('Stop', 'stop', 'Shift+F5'),
        { type: 'separator' },
        command('Soft Reset', 'softReset', 'F7'),
        command('Hard Reset', 'hardReset', 'Shift+F7'),
        { type: 'separator' },
        command('Upload to Board', 'upload', 'F8'),
        { type: 'separator' },
        command('Flash Firmware…', 'flashFirmware'),
      ],
    },
    {
      label: '&View',
      submenu: [
        command('Plotter', 'togglePlotter', 'CmdOrCtrl+Shift+L'),
        command('Fleet', 'toggleFleet'),
        command('Packages', 'togglePackages'),
        { type: 'separator' },
        { role: 'reload' },
        ...(actions.isDev
          ? [{ role: 'forceReload' } as const, { role: 'toggleDevTools' } as const]
          : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [
        command('Examples…', 'openExamples'),
        { label: 'MicroPython Documentation', click: () => actions.openDocs() },
        ...(actions.isMac ? [] : [{ type: 'separator' } as const, { label: 'About Mote Studio', click: () => actions.showAbout() }]),
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
