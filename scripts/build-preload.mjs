#!/usr/bin/env node
// Bundles main/preload/preload.ts into dist/main/preload/preload.cjs.
// A sandboxed preload cannot load ES modules or most Node modules, so it is one
// CommonJS file: 'electron' stays a require(), everything it imports from
// main/common is inlined. Pass --watch to rebuild on change.

import { build, context } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: ['main/preload/preload.ts'],
  outfile: 'dist/main/preload/preload.cjs',
  bundle: true,
  format: 'cjs',
  // The sandboxed preload is a browser-like context with require('electron').
  platform: 'browser',
  target: 'chrome130',
  external: ['electron'],
  sourcemap: 'linked',
  logLevel: 'info',
};

if (process.argv.includes('--watch')) {
  const ctx = await context(options);
  await ctx.watch();
} else {
  await build(options);
}
