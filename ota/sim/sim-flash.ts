// What a simulated device keeps across resets: two app slots and the pointer
// between them, the installed release, and partly downloaded files (which is
// what makes a download resumable after a power cut). RAM state lives in
// SimDevice and is lost on reset.

import type { TerminalState } from '../common/messages.js';

export type SlotName = 'a' | 'b';

export interface StagedFile {
  sha256: string;
  size: number;
  /** Blocks written so far, in order. */
  chunks: Buffer[];
  length: number;
}

export class SimFlash {
  readonly slots: Record<SlotName, Map<string, Buffer>> = { a: new Map(), b: new Map() };
  active: SlotName = 'a';
  installedSeq = 0;
  app = 'app';
  last: { seq: number; st: TerminalState; why?: string } | undefined;
  /** Download in progress: release seq and its partial files by SHA-256. */
  staging: { seq: number; files: Map<string, StagedFile> } | null = null;
  /** A switch awaiting its trial boot: the slot we came from, to fall back to. */
  trial: { seq: number; app: string; previous: SlotName } | null = null;

  constructor(files: Map<string, Buffer>) {
    for (const [p, d] of files) this.slots.a.set(p, d);
  }

  get inactive(): SlotName {
    return this.active === 'a' ? 'b' : 'a';
  }

  /** Bytes the device holds (both slots and staging), as its "flash used". */
  used(): number {
    let n = 0;
    for (const s of [this.slots.a, this.slots.b]) for (const d of s.values()) n += d.length;
    for (const f of this.staging?.files.values() ?? []) n += f.length;
    return n;
  }
}
