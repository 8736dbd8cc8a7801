// Where the installed app keeps its built parts, from its folder.

import path from 'node:path';
import { findAppRoot } from '../../runtime/node/app-root.js';

export interface AppPaths {
  root: string;
  /** Built renderer (vite build). */
  renderer: string;
  /** Compiled Electron main entry (tsc). */
  electronMain: string;
  /** Bundled preload (scripts/build-preload.mjs). */
  preload: string;
  resources: string;
}

export function appPaths(root: string = findAppRoot()): AppPaths {
  return {
    root,
    renderer: path.join(root, 'dist', 'renderer'),
    electronMain: path.join(root, 'dist', 'main', 'electron-main', 'app.js'),
    preload: path.join(root, 'dist', 'main', 'preload', 'preload.cjs'),
    resources: path.join(root, 'resources'),
  };
}
