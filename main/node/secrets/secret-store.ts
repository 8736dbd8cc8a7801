// Secrets the back end keeps for the user (saved WebREPL passwords), never in
// plain settings or logs. In Electron they are encrypted with safeStorage
// (the OS keychain); in browser mode, or where the OS offers no keychain, they
// live in a JSON file that only the user can read (mode 0600).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../../runtime/node/atomic-file.js';

export interface SecretStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
  keys(): string[];
}

/** What Electron's safeStorage offers; passed in, so this module never imports electron. */
export interface Encryptor {
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/**
 * A 0600 JSON file of key -> value. With an Encryptor the values are sealed
 * (base64 of safeStorage's output) and the file name says so.
 */
export class FileSecretStore implements SecretStore {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly seal: Encryptor | null = null,
  ) {
    this.file = path.join(dataDir, seal ? 'secrets.sealed.json' : 'secrets.json');
  }

  get(key: string): string | null {
    const v = this.read()[key];
    if (v === undefined) return null;
    return this.seal ? this.seal.decryptString(Buffer.from(v, 'base64')) : v;
  }

  set(key: string, value: string): void {
    const all = this.read();
    all[key] = this.seal ? this.seal.encryptString(value).toString('base64') : value;
    this.write(all);
  }

  delete(key: string): void {
    const all = this.read();
    if (!(key in all)) return;
    delete all[key];
    this.write(all);
  }

  keys(): string[] {
    return Object.keys(this.read());
  }

  private read(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  // Mode 0600 from the temp file's creation on, so the secrets are never
  // readable by others, not even for a moment, and never half written.
  private write(all: Record<string, string>): void {
    writeFileAtomicSync(this.file, JSON.stringify(all, null, 1), { mode: 0o600 });
  }
}
