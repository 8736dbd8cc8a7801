// Browser mode as a function: the IDE back end on a loopback HTTP/WebSocket
// server that serves the built renderer. Used by `npm start` when there is no
// Electron binary, and by the end-to-end tests.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { appPaths } from './app-root.js';
import { startBrowserServer } from './browser-server.js';
import { createBackend } from './ide-backend.js';
import { prepareProjectDir } from './project-setup.js';

export interface BrowserModeOptions {
  /** The user's project folder; created, and seeded with the blink example when empty. */
  projectDir: string;
  /** Simulated board files and settings; created when missing. */
  dataDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Defaults to <app>/dist/renderer. */
  rendererDir?: string;
}

export interface BrowserModeHandle {
  /** http://127.0.0.1:PORT/?token=… */
  url: string;
  port: number;
  token: string;
  /** Closes every connection and disposes the back end. */
  close(): Promise<void>;
}

export async function launchBrowserMode(options: BrowserModeOptions): Promise<BrowserModeHandle> {
  const paths = appPaths();
  const rendererDir = options.rendererDir ?? paths.renderer;
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built (no ${path.join(rendererDir, 'index.html')}): run the build first`);
  }
  const projectDir = path.resolve(options.projectDir);
  const dataDir = path.resolve(options.dataDir);
  await prepareProjectDir(projectDir, paths.resources);
  await mkdir(dataDir, { recursive: true });

  const server = await startBrowserServer({
    rendererDir,
    host: '127.0.0.1',
    port: options.port ?? 0,
    backendFactory: (emit) => createBackend({ projectDir, dataDir }, emit),
  });
  return { url: server.url, port: server.port, token: server.token, close: () => server.close() };
}
