// A folder on the host as runtime/common/sync.ts reads it (LocalFolder keeps
// common/ free of node:fs). Relative paths use '/'.

import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { LocalFolder } from '../common/sync.js';

export function hostFolder(root: string): LocalFolder {
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  return {
    async readdir(rel) {
      const entries = await fsp.readdir(abs(rel), { withFileTypes: true });
      return entries.filter((e) => e.isFile() || e.isDirectory()).map((e) => ({ name: e.name, isDir: e.isDirectory() }));
    },
    readFile: (rel) => fsp.readFile(abs(rel)),
  };
}
