#!/usr/bin/env node
// Compiles main/electron-main/*.ts to dist/main/electron-main/*.js one file at
// a time (no bundling, so relative imports keep pointing at the tsc output).
// esbuild only strips types, so this works where the optional `electron`
// package, and with it Electron's type declarations, could not be installed;
// `npm run typecheck` checks these files whenever the types are there.

import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = 'main/electron-main';
const entryPoints = readdirSync(new URL(`../${dir}`, import.meta.url))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .map((f) => `${dir}/${f}`);

await build({
  absWorkingDir: root,
  entryPoints,
  outdir: `dist/${dir}`,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
