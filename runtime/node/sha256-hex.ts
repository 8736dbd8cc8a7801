// The host's one-shot content hash: hex SHA-256 of bytes or text, as stored
// in caches and indexes and compared against recorded digests. Synchronous,
// for callers that are. Code that must also run in a browser uses the
// WebCrypto version in runtime/common/sha256-check.ts, which is async.

import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256 of `data` (text is hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
