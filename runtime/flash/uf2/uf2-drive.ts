// Finding the UF2 drive a board in BOOTSEL mode shows: a mounted folder
// holding INFO_UF2.TXT, whose Board-ID line names the chip.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FlashError, cancelled } from '../flash-errors.js';

export interface Uf2Drive {
  dir: string;
  boardId: string;
  model: string | null;
}

/** Where desktops mount removable drives. */
export function defaultMountRoots(): string[] {
  const user = os.userInfo().username;
  if (process.platform === 'darwin') return ['/Volumes'];
  if (process.platform === 'win32') return 'DEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((l) => `${l}:\\`);
  return [`/media/${user}`, `/run/media/${user}`, '/media', '/mnt'];
}

export function parseInfoUf2(text: string): { boardId: string | null; model: string | null } {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+?)\\s*$`, 'mi').exec(text)?.[1] ?? null;
  return { boardId: field('Board-ID'), model: field('Model') };
}

function readDrive(dir: string): Uf2Drive | null {
  try {
    const info = parseInfoUf2(fs.readFileSync(path.join(dir, 'INFO_UF2.TXT'), 'utf8'));
    return info.boardId ? { dir, boardId: info.boardId, model: info.model } : null;
  } catch {
    return null;
  }
}

/** UF2 drives under the roots: a root itself (a Windows drive letter) or one level below it. */
export function findUf2Drives(roots: readonly string[]): Uf2Drive[] {
  const found: Uf2Drive[] = [];
  for (const root of roots) {
    const self = readDrive(root);
    if (self) found.push(self);
    let names: string[] = [];
    try {
      names = fs.readdirSync(root);
    } catch {
      continue;
    }
    for (const n of names) {
      const d = readDrive(path.join(root, n));
      if (d) found.push(d);
    }
  }
  return found;
}

/**
 * Waits for a UF2 drive to be mounted under one of the roots. Watches the
 * roots for changes rather than polling; one rescan per change.
 */
export function waitForUf2Drive(roots: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<Uf2Drive> {
  return new Promise((resolve, reject) => {
    const watchers: fs.FSWatcher[] = [];
    const done = (d: Uf2Drive | null, err?: Error) => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      signal?.removeEventListener('abort', onAbort);
      if (d) resolve(d);
      else reject(err);
    };
    const scan = () => {
      const d = findUf2Drives(roots)[0];
      if (d) done(d);
    };
    const onAbort = () => done(null, cancelled());
    const timer = setTimeout(
      () =>
        done(
          null,
          new FlashError('no-drive', `no UF2 drive appeared within ${Math.round(timeoutMs / 1000)} s (looked in ${roots.join(', ')}). Hold BOOTSEL while plugging the board in, then try again.`),
        ),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    for (const r of roots) {
      try {
        // recursive: the drive's own folder appears first, INFO_UF2.TXT inside it a moment later.
        watchers.push(fs.watch(r, { recursive: true }, scan));
      } catch {
        // a root that does not exist on this machine
      }
    }
    scan();
  });
}
