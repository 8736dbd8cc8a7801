// Per-device HMAC keys (ota/PROTOCOL.md, desired `m`), one 0600 file per
// device in a 0700 folder of the fleet's data: <fleet>/device-keys/<id>.key.
// Provisioning writes a key here and onto the board; the desired publisher
// reads it back for every message it sends that device. A key is a secret:
// nothing here logs or prints one.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEVICE_KEY_BYTES } from '../../common/manifest-hmac.js';
import { checkDeviceId } from '../../common/topics.js';
import { writeFileAtomicSync } from '../../../runtime/node/atomic-file.js';

export class DeviceKeys {
  constructor(readonly dir: string) {}

  /** The key folder of a fleet whose data lives in `fleetDir` (the fleet service's dataDir). */
  static inFleetDir(fleetDir: string): DeviceKeys {
    return new DeviceKeys(path.join(fleetDir, 'device-keys'));
  }

  /** A fresh random key; provisioning saves it only once the board holds it too. */
  static generate(): Buffer {
    return randomBytes(DEVICE_KEY_BYTES);
  }

  /** Stores (or replaces) `id`'s key, readable by the owner only. */
  save(id: string, key: Uint8Array): void {
    if (key.length !== DEVICE_KEY_BYTES) throw new Error(`a device key is ${DEVICE_KEY_BYTES} bytes`);
    const file = this.file(id);
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Written whole and renamed into place, so a reader never sees half a key.
    writeFileAtomicSync(file, Buffer.from(key).toString('hex') + '\n', { mode: 0o600 });
  }

  /** `id`'s key, or null when the device was not provisioned with one. */
  get(id: string): Buffer | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file(id), 'utf8').trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`the key file of device ${id} is damaged (not ${DEVICE_KEY_BYTES} bytes of hex)`);
    return Buffer.from(text, 'hex');
  }

  /** Forgets `id`'s key (the device was provisioned again with the fleet signature). */
  remove(id: string): void {
    fs.rmSync(this.file(id), { force: true });
  }

  private file(id: string): string {
    // checkDeviceId allows only A-Z a-z 0-9 _ . -, and the suffix keeps even ".." a plain file name.
    return path.join(this.dir, `${checkDeviceId(id)}.key`);
  }
}
