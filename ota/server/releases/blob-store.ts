// Released file contents, stored once each under their SHA-256 (a file that
// did not change between releases is stored once). Blocks are read from a
// small in-memory cache, since the same few files are served to every device
// of a rollout.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../../runtime/node/atomic-file.js';
import { sha256Hex } from '../../../runtime/node/sha256-hex.js';

export class BlobStore {
  private readonly cache = new Map<string, Buffer>();
  private cached = 0;

  constructor(private readonly dir: string, private readonly cacheBytes = 64 * 1024 * 1024) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Stores `data`, returning its hex SHA-256. Written to a temp name and renamed, so a crash never leaves half a blob. */
  put(data: Uint8Array): string {
    const sha = sha256Hex(data);
    const file = this.file(sha);
    if (!fs.existsSync(file)) writeFileAtomicSync(file, data);
    return sha;
  }

  has(sha: string): boolean {
    return /^[0-9a-f]{64}$/.test(sha) && fs.existsSync(this.file(sha));
  }

  /** The whole blob, or null when there is none. Not re-hashed: what is on disk is what is served (a tampered blob fails on the device). */
  get(sha: string): Buffer | null {
    const hit = this.cache.get(sha);
    if (hit) {
      this.cache.delete(sha);
      this.cache.set(sha, hit);
      return hit;
    }
    if (!this.has(sha)) return null;
    const data = fs.readFileSync(this.file(sha));
    this.cache.set(sha, data);
    this.cached += data.length;
    for (const [k, v] of this.cache) {
      if (this.cached <= this.cacheBytes) break;
      this.cache.delete(k);
      this.cached -= v.length;
    }
    return data;
  }

  /** Drops the cached copy, e.g. after the file on disk changed. */
  forget(sha: string): void {
    const v = this.cache.get(sha);
    if (v) {
      this.cache.delete(sha);
      this.cached -= v.length;
    }
  }

  file(sha: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`not a SHA-256: ${JSON.stringify(sha)}`);
    return path.join(this.dir, sha);
  }
}
