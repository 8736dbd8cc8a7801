// Sandboxed preload for the Mote Studio window. It runs with only a subset of
// 'electron' available, so it is bundled (scripts/build-preload.mjs) into one
// CommonJS file with the pure contract modules from main/common inlined.
//
// It exposes exactly two things to the page:
//   window.mote      the MoteApi, over ipcRenderer.invoke('mote:call') and 'mote:event'
//   window.moteMenu  application-menu commands from 'mote:menu'
// The page never sees ipcRenderer or IPC event objects.

import { contextBridge, ipcRenderer } from 'electron';
import { API_EVENTS, type MoteEventName } from '../common/api.js';
import { EventListeners, createApiProxy } from '../common/api-proxy.js';
import type { CallOutcome } from '../common/backend-dispatch.js';
import { CALL_CHANNEL, EVENT_CHANNEL, MENU_CHANNEL } from '../common/ipc-channels.js';
import { isMenuCommand, type MenuCommand, type MoteMenuBridge } from '../common/menu-commands.js';

const events = new EventListeners();

ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (!(API_EVENTS as unknown[]).includes(name)) return;
  // The main process sends payloads of the contract's shape for each event name.
  events.emit(name as MoteEventName, payload as never);
});

const api = createApiProxy(
  async (method, args) => {
    const outcome = (await ipcRenderer.invoke(CALL_CHANNEL, method, args)) as CallOutcome;
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.value;
  },
  (event, listener) => events.on(event, listener),
);

const menuListeners = new Set<(command: MenuCommand) => void>();
ipcRenderer.on(MENU_CHANNEL, (_event, command: unknown) => {
  if (!isMenuCommand(command)) return;
  for (const listener of [...menuListeners]) listener(command);
});

const menu: MoteMenuBridge = {
  onCommand(listener) {
    menuListeners.add(listener);
    return () => {
      menuListeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('mote', api);
contextBridge.exposeInMainWorld('moteMenu', menu);
