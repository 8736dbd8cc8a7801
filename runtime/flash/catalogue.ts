// The firmware catalogue: official images per board, downloaded once into a
// cache on disk and used offline from there; and local files the user picks.
//
// micropython.org publishes no checksums, so each download's SHA-256 is
// recorded in the cache index when it is first fetched, and every later use
// (offline included) is checked against it before anything is written to a
// board. A caller that knows the hash (a pinned project, a URL with a
// published digest) passes it and the download itself is checked too.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../node/sha256-hex.js';
import { writeFileAtomicSync } from '../node/atomic-file.js';
import { CATALOGUE_BOARDS, CATALOGUE_RELEASES, FIRMWARE_BASE_URL, type CatalogueBoard, type CatalogueRelease } from './catalogue-data.js';
import { FlashError, cancelled } from './flash-errors.js';
import type { OnFlashProgress } from './progress.js';

export interface FirmwareEntry {
  board: CatalogueBoard;
  release: CatalogueRelease;
  fileName: string;
  url: string;
}

export interface FirmwareImage {
  bytes: Uint8Array;
  sha256: string;
  /** Where it came from: a URL, the cache, or a local path. */
  source: string;
  fromCache: boolean;
}

export function catalogueEntries(boardId?: string, baseUrl = FIRMWARE_BASE_URL): FirmwareEntry[] {
  const boards = boardId ? CATALOGUE_BOARDS.filter((b) => b.id === boardId) : CATALOGUE_BOARDS;
  if (boardId && boards.length === 0) throw new FlashError('unsupported-chip', `no catalogue images for board ${boardId} (known: ${CATALOGUE_BOARDS.map((b) => b.id).join(', ')})`);
  return boards.flatMap((board) =>
    CATALOGUE_RELEASES.map((release) => {
      const fileName = `${board.id}-${release.date}-v${release.version}.${board.kind === 'uf2' ? 'uf2' : 'bin'}`;
      return { board, release, fileName, url: new URL(fileName, baseUrl).href };
    }),
  );
}

interface CacheIndex {
  /** file name -> SHA-256 recorded at download */
  files: Record<string, string>;
}

export class FirmwareCache {
  constructor(
    readonly dir: string,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  private indexPath(): string {
    return path.join(this.dir, 'index.json');
  }

  private readIndex(): CacheIndex {
    try {
      return JSON.parse(fs.readFileSync(this.indexPath(), 'utf8')) as CacheIndex;
    } catch {
      return { files: {} };
    }
  }

  private writeIndex(index: CacheIndex): void {
    writeFileAtomicSync(this.indexPath(), JSON.stringify(index, null, 1));
  }

  cached(entry: FirmwareEntry): boolean {
    return entry.fileName in this.readIndex().files && fs.existsSync(path.join(this.dir, entry.fileName));
  }

  /** From the cache when there, else downloaded (then cached); verified either way. */
  async get(entry: FirmwareEntry, opts: { expectedSha256?: string; signal?: AbortSignal; onProgress?: OnFlashProgress } = {}): Promise<FirmwareImage> {
    const index = this.readIndex();
    const file = path.join(this.dir, entry.fileName);
    const recorded = index.files[entry.fileName];
    if (recorded && fs.existsSync(file)) {
      const bytes = fs.readFileSync(file);
      const actual = sha256Hex(bytes);
      if (actual !== recorded) throw new FlashError('checksum', `the cached ${entry.fileName} changed since it was downloaded (SHA-256 ${actual}, recorded ${recorded}); delete it from ${this.dir} and download again`);
      checkExpected(entry.fileName, actual, opts.expectedSha256);
      return { bytes, sha256: actual, source: file, fromCache: true };
    }
    const bytes = await this.download(entry, opts.signal, opts.onProgress);
    const actual = sha256Hex(bytes);
    checkExpected(entry.fileName, actual, opts.expectedSha256);
    writeFileAtomicSync(file, bytes);
    this.writeIndex({ files: { ...this.readIndex().files, [entry.fileName]: actual } });
    return { bytes, sha256: actual, source: entry.url, fromCache: false };
  }

  private async download(entry: FirmwareEntry, signal?: AbortSignal, onProgress?: OnFlashProgress): Promise<Uint8Array> {
    let res: Response;
    try {
      res = await this.fetcher(entry.url, { signal });
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      throw new FlashError('not-cached', `cannot download ${entry.url} (${(e as Error).message}) and it is not in the cache: connect to the internet once, or pick a local file`);
    }
    if (!res.ok || !res.body) throw new FlashError('not-cached', `${entry.url} answered ${res.status} ${res.statusText}`);
    const total = Number(res.headers.get('content-length')) || undefined;
    const parts: Uint8Array[] = [];
    let done = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      parts.push(chunk);
      done += chunk.length;
      onProgress?.({ phase: 'downloading', done, total, message: `downloading ${entry.fileName}` });
    }
    return Buffer.concat(parts);
  }
}

/** A firmware file the user picked; checked against a hash when one is given. */
export function loadLocalFirmware(file: string, expectedSha256?: string): FirmwareImage {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new FlashError('bad-image', `cannot read ${file}: ${(e as Error).message}`);
  }
  const actual = sha256Hex(bytes);
  checkExpected(path.basename(file), actual, expectedSha256);
  return { bytes, sha256: actual, source: file, fromCache: false };
}

function checkExpected(name: string, actual: string, expected?: string): void {
  if (expected && actual !== expected.toLowerCase()) throw new FlashError('checksum', `${name} has SHA-256 ${actual}, not the expected ${expected}: the file is damaged or not the one you meant`);
}
