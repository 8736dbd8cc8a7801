// Maps a request path onto a file of the built renderer, refusing anything that
// would leave the renderer folder (".." segments, encoded separators, symlinks
// pointing outside). Used by browser mode (HTTP) and the Electron app:// protocol.

import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type StaticLookup =
  | { kind: 'file'; filePath: string; size: number; contentType: string }
  | { kind: 'forbidden'; reason: string }
  | { kind: 'not-found' };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.py': 'text/x-python; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * @param rootDir the renderer folder (resolved through symlinks by the caller or here)
 * @param urlPath the raw path of the request, still percent-encoded, without query
 */
export async function resolveStaticFile(rootDir: string, urlPath: string): Promise<StaticLookup> {
  if (!urlPath.startsWith('/')) return { kind: 'forbidden', reason: 'path must start with /' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'forbidden', reason: 'path is not valid percent-encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'forbidden', reason: 'path contains a NUL byte' };
  // Backslashes are separators on Windows; no renderer file has one in its name.
  if (decoded.includes('\\')) return { kind: 'forbidden', reason: 'path contains a backslash' };
  const segments = decoded.split('/');
  if (segments.includes('..')) return { kind: 'forbidden', reason: "path contains '..'" };
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;

  let root: string;
  try {
    root = await realpath(rootDir);
  } catch {
    return { kind: 'not-found' };
  }
  let real: string;
  try {
    real = await realpath(path.join(root, relative));
  } catch {
    return { kind: 'not-found' };
  }
  if (real !== root && !real.startsWith(root + path.sep)) {
    return { kind: 'forbidden', reason: 'path leaves the renderer folder' };
  }
  const info = await stat(real).catch(() => null);
  if (!info || !info.isFile()) return { kind: 'not-found' };
  return { kind: 'file', filePath: real, size: info.size, contentType: contentTypeFor(real) };
}
