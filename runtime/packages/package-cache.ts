// The host's download cache, so a package installed once installs again
// with no network (another board, a lab with no Wi-Fi).
//
//   {dir}/files/{sha256[:2]}/{sha256}   file contents, named by their full SHA-256
//   {dir}/json/{sha256(url)}.json       the last good copy of each index/package JSON
//
// Files are content-addressed, so a cached file is checked by its name alone
// and can never be stale. JSON is keyed by URL and used only when the network
// fails (a "latest" found offline may be older than the index's latest).

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../node/atomic-file.js';
import { sha256Hex } from '../node/sha256-hex.js';

const HEX = /^[0-9a-f]+$/;

export class PackageCache {
  constructor(readonly dir: string) {}

  /** A cached file whose SHA-256 starts with `hashPrefix`, or null. */
  async findFile(hashPrefix: string): Promise<{ sha256: string; data: Buffer } | null> {
    const h = hashPrefix.toLowerCase();
    if (h.length < 2 || !HEX.test(h)) return null;
    const sub = path.join(this.dir, 'files', h.slice(0, 2));
    const names = await fs.readdir(sub).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(h) || name.length !== 64) continue;
      const data = await fs.readFile(path.join(sub, name));
      // A file damaged on disk is not trusted; it is fetched again.
      if (sha256Hex(data) === name) return { sha256: name, data };
      await fs.rm(path.join(sub, name), { force: true });
    }
    return null;
  }

  /** Stores `data` under its SHA-256 (written to a temp name, then renamed, so a crash leaves no half file). */
  async putFile(data: Uint8Array): Promise<string> {
    const h = sha256Hex(data);
    const file = path.join(this.dir, 'files', h.slice(0, 2), h);
    await writeFileAtomic(file, data);
    return h;
  }

  async getJson(url: string): Promise<unknown | null> {
    const text = await fs.readFile(this.jsonPath(url), 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }

  async putJson(url: string, value: unknown): Promise<void> {
    await writeFileAtomic(this.jsonPath(url), JSON.stringify(value));
  }

  private jsonPath(url: string): string {
    return path.join(this.dir, 'json', `${sha256Hex(url)}.json`);
  }
}
