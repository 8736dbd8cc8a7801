// Settings a project keeps for itself (its simulated board model and network), in
// `.mote/project.json` inside the project folder. The dot folder keeps it out
// of the file list and out of a sync to the board, and it travels with the
// folder when the user copies or commits the project.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../runtime/node/atomic-file.js';

export interface ProjectSettings {
  /** Board profile id of the simulated board (runtime/sim/common/profiles.ts). */
  boardProfile?: string;
  /** Lets the simulated board's sockets reach public addresses, not only loopback and private ones (default false). */
  simAllowPublicNetwork?: boolean;
}

export const SETTINGS_FILE = path.join('.mote', 'project.json');

/** The project's settings; none when the file is missing or unreadable (a hand-broken file must not stop the IDE). */
export async function readProjectSettings(root: string): Promise<ProjectSettings> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, SETTINGS_FILE), 'utf8');
  } catch {
    return {};
  }
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    const o = v as Record<string, unknown>;
    const settings: ProjectSettings = {};
    if (typeof o.boardProfile === 'string') settings.boardProfile = o.boardProfile;
    if (typeof o.simAllowPublicNetwork === 'boolean') settings.simAllowPublicNetwork = o.simAllowPublicNetwork;
    return settings;
  } catch {
    return {};
  }
}

/** Merges `patch` into the settings, written through a temporary file so a crash never leaves half of it. */
export async function updateProjectSettings(root: string, patch: ProjectSettings): Promise<ProjectSettings> {
  const next = { ...(await readProjectSettings(root)), ...patch };
  await writeFileAtomic(path.join(root, SETTINGS_FILE), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
