#!/usr/bin/env node
// Entry of the `mote` command (npx mote ...). The TypeScript is compiled to
// dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main/cli/mote.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('mote: not built yet; run `npm run build` in the Mote Studio folder first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
