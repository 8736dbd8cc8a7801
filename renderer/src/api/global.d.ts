// What the Electron preload (main/preload/preload.ts) puts on `window`.
// Both are absent in browser mode.
import type { MoteApi } from '../../../main/common/api.js';
import type { MoteMenuBridge } from '../../../main/common/menu-commands.js';

declare global {
  interface Window {
    mote?: MoteApi;
    moteMenu?: MoteMenuBridge;
  }
}

export {};
