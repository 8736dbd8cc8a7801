// Signed releases. The sequence number is the fleet's single counter: the
// next release always gets a higher one, which is what makes replays
// detectable on a device.

import { decodeManifest, type Manifest } from '../../common/manifest.js';
import type { Db } from './fleet-db.js';

export interface ReleaseRecord {
  seq: number;
  manifestText: string;
  signature: string;
  manifest: Manifest;
  /** Where it came from: a project folder, or "rollback of N". */
  source: string;
  createdAt: number;
}

interface Row { seq: number; manifest: string; signature: string; source: string; created_at: number }

export class ReleaseStore {
  constructor(private readonly db: Db) {}

  nextSeq(): number {
    const r = this.db.prepare('SELECT max(seq) AS m FROM releases').get() as { m: number | null };
    return (r.m ?? 0) + 1;
  }

  add(manifestText: string, signature: string, source: string): ReleaseRecord {
    const m = decodeManifest(manifestText);
    const createdAt = Date.now();
    this.db
      .prepare('INSERT INTO releases (seq, app, port, mpy, manifest, signature, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(m.seq, m.app, m.port, m.mpy, manifestText, signature, source, createdAt);
    return { seq: m.seq, manifestText, signature, manifest: m, source, createdAt };
  }

  get(seq: number): ReleaseRecord | null {
    const r = this.db.prepare('SELECT seq, manifest, signature, source, created_at FROM releases WHERE seq = ?').get(seq) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  /** Newest first. */
  list(): ReleaseRecord[] {
    return (this.db.prepare('SELECT seq, manifest, signature, source, created_at FROM releases ORDER BY seq DESC').all() as Row[]).map(toRecord);
  }

  /** Every file SHA-256 any release refers to (what the blob store must keep). */
  allFileHashes(): Set<string> {
    const out = new Set<string>();
    for (const r of this.list()) for (const f of r.manifest.files) out.add(f.sha256);
    return out;
  }
}

function toRecord(r: Row): ReleaseRecord {
  return { seq: r.seq, manifestText: r.manifest, signature: r.signature, manifest: decodeManifest(r.manifest), source: r.source, createdAt: r.created_at };
}
