// Raw 32-byte Ed25519 public keys (what a device stores) to and from Node
// KeyObjects. SPKI for Ed25519 is a fixed 12-byte DER prefix then the key.

import { createPublicKey, verify, type KeyObject } from 'node:crypto';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  return Buffer.from(der.subarray(SPKI_PREFIX.length));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new Error(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** True when `sigB64` is a valid Ed25519 signature of `text` (UTF-8) by `key`. */
export function verifyManifestSignature(key: KeyObject, text: string, sigB64: string): boolean {
  const sig = Buffer.from(sigB64, 'base64');
  if (sig.length !== 64) return false;
  return verify(null, Buffer.from(text, 'utf8'), key, sig);
}
