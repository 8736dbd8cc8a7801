#!/usr/bin/env node
// Type-checks the Electron main process and preload against Electron's own
// declarations. They come with the optional `electron` package; where npm
// could not install it (no access to Electron's binary download) the check is
// skipped with a message rather than failing the whole type check.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let types = null;
try {
  types = require.resolve('electron/electron.d.ts');
} catch {
  types = null;
}
if (!types || !existsSync(types)) {
  console.warn('typecheck: the electron package is not installed; skipping the Electron main/preload type check.');
  process.exit(0);
}
const tsc = require.resolve('typescript/bin/tsc');
for (const project of ['tsconfig.electron.json', 'main/preload/tsconfig.json']) {
  execFileSync(process.execPath, [tsc, '-p', project, '--noEmit'], { stdio: 'inherit' });
}
