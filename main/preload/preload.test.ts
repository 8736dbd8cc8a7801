// The preload against an in-memory Electron: contextBridge records what is
// exposed, and ipcRenderer.invoke goes straight into the same dispatch the main
// process uses, over a fake back end. This joins the two ends of the IPC
// protocol in one process; the Electron binary is not needed.

import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MoteApi, MoteBackend } from '../common/api.js';
import { dispatchCall } from '../common/backend-dispatch.js';
import { CALL_CHANNEL, EVENT_CHANNEL, MENU_CHANNEL } from '../common/ipc-channels.js';
import type { MenuCommand, MoteMenuBridge } from '../common/menu-commands.js';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

const fake = vi.hoisted(() => {
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, IpcListener[]>();
  const backendCalls: Array<[string, unknown[]]> = [];
  return { exposed, listeners, backendCalls };
});

const backend = {
  async readProjectFile(path: string) {
    fake.backendCalls.push(['readProjectFile', [path]]);
    return `text of ${path}`;
  },
  async stop() {
    throw new Error('nothing is running');
  },
} as unknown as MoteBackend;

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => {
      fake.exposed[key] = value;
    },
  },
  ipcRenderer: {
    invoke: async (channel: string, method: unknown, args: unknown) => {
      expect(channel).toBe(CALL_CHANNEL);
      return dispatchCall(backend, method, args);
    },
    on: (channel: string, listener: IpcListener) => {
      fake.listeners.set(channel, [...(fake.listeners.get(channel) ?? []), listener]);
    },
  },
}));

function fromMain(channel: string, ...args: unknown[]): void {
  for (const listener of fake.listeners.get(channel) ?? []) listener({ sender: 'ipc event' }, ...args);
}

let mote: MoteApi;
let moteMenu: MoteMenuBridge;

beforeAll(async () => {
  await import('./preload.js');
  mote = fake.exposed.mote as MoteApi;
  moteMenu = fake.exposed.moteMenu as MoteMenuBridge;
});

describe('preload', () => {
  it('exposes exactly window.mote and window.moteMenu', () => {
    expect(Object.keys(fake.exposed).sort()).toEqual(['mote', 'moteMenu']);
    expect(typeof mote.getProject).toBe('function');
    expect(typeof mote.on).toBe('function');
  });

  it('forwards calls and unwraps results and errors', async () => {
    expect(await mote.readProjectFile('main.py')).toBe('text of main.py');
    await expect(mote.stop()).rejects.toThrow('nothing is running');
    await expect(mote.readProjectFile('../secret')).rejects.toThrow("path must not contain '..'");
    expect(fake.backendCalls).toEqual([['readProjectFile', ['main.py']]]);
  });

  it('delivers contract events and drops unknown ones', () => {
    const got: Uint8Array[] = [];
    const off = mote.on('terminalData', (bytes) => got.push(bytes));
    fromMain(EVENT_CHANNEL, 'terminalData', new Uint8Array([62, 62, 62]));
    fromMain(EVENT_CHANNEL, 'notAnEvent', new Uint8Array([1]));
    off();
    fromMain(EVENT_CHANNEL, 'terminalData', new Uint8Array([32]));
    expect(got).toEqual([new Uint8Array([62, 62, 62])]);
  });

  it('delivers menu commands from the allow-list only', () => {
    const got: MenuCommand[] = [];
    const off = moteMenu.onCommand((command) => got.push(command));
    fromMain(MENU_CHANNEL, 'run');
    fromMain(MENU_CHANNEL, 'rm -rf');
    fromMain(MENU_CHANNEL, 'save');
    off();
    fromMain(MENU_CHANNEL, 'stop');
    expect(got).toEqual(['run', 'save']);
  });
});
