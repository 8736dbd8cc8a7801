// The Electron side of the API: one generic handler for every call, after one
// check of who is calling, and one way events go out. The renderer reaches
// nothing else in the main process.

import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { MoteBackend, MoteEventName, MoteEvents } from '../common/api.js';
import { dispatchCall, errorMessage, type CallOutcome } from '../common/backend-dispatch.js';
import { CALL_CHANNEL, EVENT_CHANNEL, MENU_CHANNEL } from '../common/ipc-channels.js';
import type { MenuCommand } from '../common/menu-commands.js';
import { isRendererUrl } from './app-protocol.js';
import type { BackendHost } from './backend-host.js';

/** Only the top frame of a page we served may call; a frame that navigated
 *  elsewhere, or was destroyed, has no URL of ours. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isRendererUrl(frame.url);
}

export function handleApiCalls(host: BackendHost): void {
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, args: unknown): Promise<CallOutcome> => {
    if (!isTrustedSender(event)) return { ok: false, error: 'calls are accepted only from the Mote Studio window' };
    let backend: MoteBackend;
    try {
      backend = await host.current();
    } catch (err) {
      return { ok: false, error: `the board back end failed to start: ${errorMessage(err)}` };
    }
    return dispatchCall(backend, method, args);
  });
}

function sendToRenderer(contents: WebContents | null, channel: string, ...payload: unknown[]): void {
  if (!contents || contents.isDestroyed() || !isRendererUrl(contents.getURL())) return;
  contents.send(channel, ...payload);
}

export function sendEvent<E extends MoteEventName>(contents: WebContents | null, event: E, payload: MoteEvents[E]): void {
  sendToRenderer(contents, EVENT_CHANNEL, event, payload);
}

export function sendMenuCommand(contents: WebContents | null, command: MenuCommand): void {
  sendToRenderer(contents, MENU_CHANNEL, command);
}
