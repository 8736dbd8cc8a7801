// Downloads for the package manager: JSON and files over HTTP(S), through
// the cache. File hashes are checked here, before anything reaches a board.

import { PackageCache } from './package-cache.js';
import { sha256Hex } from '../node/sha256-hex.js';

/** A name that does not resolve is, nearly always, a computer with no network. */
const NO_DNS = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const OFFLINE_HINT = ' (the host name was not found: is this computer online? Packages downloaded before install from the cache without a network)';

export class PackageFetchError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'PackageFetchError';
  }
}

/** A downloaded file whose SHA-256 is not the one the index lists: never installed. */
export class HashMismatchError extends Error {
  constructor(
    readonly url: string,
    readonly expected: string,
    readonly actual: string,
    what: string,
  ) {
    super(`${what}: the index lists SHA-256 ${expected}…, but the file downloaded from ${url} has ${actual}; refusing to install it (a damaged download or a tampered index)`);
    this.name = 'HashMismatchError';
  }
}

export interface FetcherOptions {
  cache: PackageCache;
  signal?: AbortSignal;
  /** Use only the cache (no network at all). */
  offline?: boolean;
  /** Called when a JSON came from the cache because the network failed. */
  onOffline?: (url: string, why: string) => void;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export class PackageFetcher {
  constructor(private readonly o: FetcherOptions) {}

  /** JSON from the network, else (offline, or the network failed) the last cached copy. A 404 is final. */
  async json(url: string): Promise<unknown> {
    if (!this.o.offline) {
      try {
        const body = await this.get(url);
        let value: unknown;
        try {
          value = JSON.parse(body.toString('utf8'));
        } catch {
          throw new PackageFetchError(`${url} is not JSON`, url, null);
        }
        await this.o.cache.putJson(url, value);
        return value;
      } catch (e) {
        if (this.o.signal?.aborted) throw this.o.signal.reason;
        // Only a network failure or a server error falls back; a 404 is an answer.
        if (!(e instanceof PackageFetchError) || (e.status !== null && e.status < 500)) throw e;
        const cached = await this.o.cache.getJson(url);
        if (cached === null) throw e;
        this.o.onOffline?.(url, e.message);
        return cached;
      }
    }
    const cached = await this.o.cache.getJson(url);
    if (cached === null) throw new PackageFetchError(`offline, and ${url} is not in the download cache`, url, null);
    return cached;
  }

  /**
   * A file whose SHA-256 must start with `hashPrefix` (the index's short hash,
   * or a lock file's full hash); from the cache when there, else downloaded
   * and checked. With no hash (a package.json "urls" entry) it is downloaded.
   */
  async file(url: string, hashPrefix: string | null, what: string): Promise<{ data: Buffer; sha256: string }> {
    if (hashPrefix) {
      const hit = await this.o.cache.findFile(hashPrefix);
      if (hit) return hit;
      if (this.o.offline) throw new PackageFetchError(`offline, and ${what} (SHA-256 ${hashPrefix}…) is not in the download cache`, url, null);
    } else if (this.o.offline) throw new PackageFetchError(`offline: ${what} has no hash in its package.json, so it cannot come from the cache`, url, null);
    const data = await this.get(url);
    const actual = sha256Hex(data);
    if (hashPrefix && !actual.startsWith(hashPrefix.toLowerCase())) throw new HashMismatchError(url, hashPrefix, actual, what);
    await this.o.cache.putFile(data);
    return { data, sha256: actual };
  }

  private async get(url: string): Promise<Buffer> {
    this.o.signal?.throwIfAborted();
    if (!/^https?:\/\//.test(url)) throw new PackageFetchError(`cannot download ${url}: only http and https URLs`, url, 0);
    const signals = [AbortSignal.timeout(this.o.timeoutMs ?? 30000)];
    if (this.o.signal) signals.push(this.o.signal);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.any(signals), redirect: 'follow' });
    } catch (e) {
      if (this.o.signal?.aborted) throw this.o.signal.reason;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new PackageFetchError(`cannot reach ${url}: ${why}${NO_DNS.has(why) ? OFFLINE_HINT : ''}`, url, null);
    }
    if (res.status === 404) throw new PackageFetchError(`not found: ${url}`, url, 404);
    if (!res.ok) throw new PackageFetchError(`${url} answered HTTP ${res.status}`, url, res.status);
    return Buffer.from(await res.arrayBuffer());
  }
}
