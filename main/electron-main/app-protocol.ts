// Serves the built renderer to the window as app://mote/…, a privileged
// standard scheme, instead of file://. That gives the page a real origin for
// 'self' in the CSP and for the IPC sender check, and file:// access to the
// rest of the disk never comes into play.

import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../common/csp.js';
import { resolveStaticFile } from '../node/static-files.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'mote';
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Must run before the app's 'ready' event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** True for pages this app serves, the only ones trusted with the API. */
export function isRendererUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Call after 'ready'. */
export function serveRenderer(rendererDir: string): void {
  const csp = contentSecurityPolicy();
  const headers = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  const plain = (status: number, text: string) =>
    new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });

  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return plain(404, 'not found');
    const found = await resolveStaticFile(rendererDir, url.pathname);
    if (found.kind === 'forbidden') return plain(403, `forbidden: ${found.reason}`);
    if (found.kind === 'not-found') return plain(404, 'not found');
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(found.filePath));
    return new Response(body, {
      status: 200,
      headers: { ...headers, 'Content-Type': found.contentType, 'Content-Length': String(found.size) },
    });
  });
}
