// The renderer's one way to reach the back end. In the Electron window the
// preload has already put `window.mote` in place; in browser mode the API
// travels over a WebSocket to the server that served this page.

import type { MoteApi } from '../../../main/common/api.js';
import type { MoteMenuBridge } from '../../../main/common/menu-commands.js';
import { WsApiClient } from './ws-client.js';

export type { ApiConnectionState } from './ws-client.js';
export { WsApiClient } from './ws-client.js';

const TOKEN_PARAM = 'token';
const TOKEN_STORAGE_KEY = 'mote.token';

let browserClient: WsApiClient | null = null;

export async function getApi(): Promise<MoteApi> {
  if (window.mote) return window.mote;
  return getBrowserClient().api;
}

/** The WebSocket connection in browser mode, for showing its state; null in Electron. */
export function getBrowserConnection(): WsApiClient | null {
  if (window.mote) return null;
  return getBrowserClient();
}

/** Application-menu commands; null in browser mode, which has no menu. */
export function getMenu(): MoteMenuBridge | null {
  return window.moteMenu ?? null;
}

function getBrowserClient(): WsApiClient {
  browserClient ??= new WsApiClient({ url: apiSocketUrl(readToken()) });
  return browserClient;
}

/** The token arrives in the printed URL; it is kept for this tab so that a
 *  reload of a URL without it (e.g. after editing the address) still works. */
function readToken(): string {
  const fromUrl = new URLSearchParams(location.search).get(TOKEN_PARAM);
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    return fromUrl;
  }
  const stored = sessionStorage.getItem(TOKEN_STORAGE_KEY);
  if (stored) return stored;
  throw new Error('This page needs the address Mote Studio printed when it started (the one ending in ?token=…).');
}

function apiSocketUrl(token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}
