// The per-device alternative to the fleet's signature (ota/PROTOCOL.md,
// desired `m`): HMAC-SHA256 under the device's own key over exactly the
// manifest text's UTF-8 bytes, the same bytes the signature covers.

import { createHmac } from 'node:crypto';

/** Length of a device's HMAC key. */
export const DEVICE_KEY_BYTES = 32;

/** Lower-case hex HMAC-SHA256(key, manifest text). */
export function manifestHmac(key: Uint8Array, manifestText: string): string {
  if (key.length !== DEVICE_KEY_BYTES) throw new Error(`a device HMAC key is ${DEVICE_KEY_BYTES} bytes, not ${key.length}`);
  return createHmac('sha256', key).update(manifestText, 'utf8').digest('hex');
}
