import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, type Encryptor } from './secret-store.js';

describe('FileSecretStore', () => {
  it('keeps secrets in a file only its owner can read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-secrets-'));
    const store = new FileSecretStore(dir);
    store.set('webrepl:ws://10.0.0.5:8266/', 'hunter2');
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(new FileSecretStore(dir).get('webrepl:ws://10.0.0.5:8266/')).toBe('hunter2');
    expect(store.keys()).toEqual(['webrepl:ws://10.0.0.5:8266/']);
    store.delete('webrepl:ws://10.0.0.5:8266/');
    expect(store.get('webrepl:ws://10.0.0.5:8266/')).toBeNull();
    fs.rmSync(dir, { recursive: true });
  });

  it('stores only sealed values when given an encryptor (Electron safeStorage)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-secrets-'));
    // A stand-in for the OS keychain, which does not exist here: it only has to be reversible and not plain.
    const xor: Encryptor = {
      encryptString: (s) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a)),
      decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString(),
    };
    const store = new FileSecretStore(dir, xor);
    store.set('k', 'hunter2');
    const raw = fs.readFileSync(path.join(dir, 'secrets.sealed.json'), 'utf8');
    expect(raw).not.toContain('hunter2');
    expect(store.get('k')).toBe('hunter2');
    fs.rmSync(dir, { recursive: true });
  });
});
