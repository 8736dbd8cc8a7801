// Where the IDE keeps the user's project and its own data, and the starter
// project a first launch opens. Shared by `npm start` (browser mode and the
// Electron launcher) and the Electron main process.

import { copyFile, mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The project opened when none is given: `<home>/MoteProjects/default`. */
export function defaultProjectDir(home: string = os.homedir()): string {
  return path.join(home, 'MoteProjects', 'default');
}

/** Simulated board files and settings: `<home>/.mote-studio`. The same folder in
 *  Electron and browser mode, so both show the same simulated board. */
export function defaultDataDir(home: string = os.homedir()): string {
  return path.join(home, '.mote-studio');
}

/** Creates `projectDir` if needed and, when it is empty, puts the blink example
 *  in it as main.py so a first launch has something to run. */
export async function prepareProjectDir(projectDir: string, resourcesDir: string): Promise<void> {
  await mkdir(projectDir, { recursive: true });
  const entries = await readdir(projectDir);
  if (entries.length > 0) return;
  await copyFile(path.join(resourcesDir, 'examples', 'blink.py'), path.join(projectDir, 'main.py'));
}

/** `--project DIR` or `--project=DIR` from a raw argv (Electron adds its own
 *  switches, so a strict parser cannot be used there). */
export function readProjectArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--project' && i + 1 < argv.length) return argv[i + 1];
    if (arg.startsWith('--project=')) return arg.slice('--project='.length);
  }
  return undefined;
}
