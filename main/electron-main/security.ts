// Locks the renderer down beyond the BrowserWindow options: it may not open
// windows, navigate, attach webviews, reach the network or get permissions, and
// links leave the app only through openExternalSafely.

import { app, session, shell } from 'electron';
import { isRendererUrl } from './app-protocol.js';

/** Hosts the Help menu may open in the user's browser. */
const EXTERNAL_HOSTS = new Set(['docs.micropython.org', 'micropython.org']);

export function lockDownRenderers(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    // Reloads do not pass through here; every other navigation is refused.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback) => {
    callback(permission === 'clipboard-sanitized-write' && isRendererUrl(contents.getURL()));
  });
  ses.setPermissionCheckHandler((contents, permission) => {
    return permission === 'clipboard-sanitized-write' && contents !== null && isRendererUrl(contents.getURL());
  });
  ses.setDevicePermissionHandler(() => false);
  // The renderer talks to the back end over IPC only; it has no business on the
  // network or the local disk, whatever the CSP says.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}

/** Opens a documentation link in the user's browser, if it is one we expect. */
export async function openExternalSafely(url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`refusing to open a malformed URL: ${url.slice(0, 80)}`);
  }
  if (parsed.protocol !== 'https:' || !EXTERNAL_HOSTS.has(parsed.hostname)) {
    throw new Error(`refusing to open ${parsed.origin}: not an allowed documentation site`);
  }
  await shell.openExternal(parsed.href);
}
