// The fleet's Ed25519 signing key: generated on first use, stored as a
// PKCS#8 PEM file only the owner may read (0600). The private key never leaves
// this object: it is not logged (inspect and JSON print a placeholder) and
// only signatures and the public key come out.

import { generateKeyPairSync, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { rawPublicKey } from '../../common/ed25519-key.js';

export class SigningKey {
  readonly #key: KeyObject;
  /** The 32-byte public key a device is provisioned with. */
  readonly publicKey: Buffer;

  private constructor(key: KeyObject) {
    this.#key = key;
    this.publicKey = rawPublicKey(createPublicKey(key));
  }

  /** Loads the key at `file`, or creates it (and its folder, 0700) when missing. */
  static loadOrCreate(file: string): SigningKey {
    if (fs.existsSync(file)) return SigningKey.load(file);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
    // 'wx': never overwrite a key another process created meanwhile.
    fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    return new SigningKey(privateKey);
  }

  static load(file: string): SigningKey {
    const mode = fs.statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new Error(`signing key ${file} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
    }
    const key = createPrivateKey(fs.readFileSync(file));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`signing key ${file} is ${key.asymmetricKeyType}, not ed25519`);
    return new SigningKey(key);
  }

  /** Base64 Ed25519 signature over the UTF-8 bytes of `text`. */
  sign(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.#key).toString('base64');
  }

  toJSON(): string {
    return `SigningKey(public ${this.publicKey.toString('base64')})`;
  }
  [inspect.custom](): string {
    return this.toJSON();
  }
}
