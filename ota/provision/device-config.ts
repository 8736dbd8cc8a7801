// The device config provisioning writes to /ota/config.json, built from
// what the user gave and checked before anything touches the board: a bad
// id, prefix, broker URL or key gets its own clear error.

import { X509Certificate, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import { rawPublicKey } from '../common/ed25519-key.js';
import { DEVICE_KEY_BYTES } from '../common/manifest-hmac.js';
import { checkDeviceId, FleetTopics } from '../common/topics.js';
import { checkBrokerUrl } from '../server/broker/broker-config.js';
import type { AgentConfig } from '../device/agent-files.js';

export interface DeviceSettings {
  id: string;
  /** mqtt://host[:port] (plain MQTT 3.1.1 over TCP) or mqtts://host[:port] (over TLS, port 8883 by default; needs `ca`). */
  broker: string;
  /** With mqtts://: the CA certificate that signed the broker's, DER (readCaCertificate). The board trusts it alone. */
  ca?: Uint8Array;
  user?: string;
  password?: string;
  prefix?: string;
  /** Raw 32-byte Ed25519 public key of the fleet. */
  publicKey: Uint8Array;
  tags?: string[];
  /** Block size and window: 2048 × 4 suits an ESP8266 (the default); 4096-8192 an ESP32. */
  block?: number;
  window?: number;
  wifi?: { ssid: string; password?: string };
  /** How the board checks releases: the fleet's Ed25519 signature (default) or its own HMAC key, fast on an ESP8266. */
  auth?: DeviceAuth;
}

export type DeviceAuth = 'ed25519' | 'hmac';

const TAG = /^[A-Za-z0-9_.-]{1,32}$/;

/** The board's config; `hmacKey` (the device's own key) is required with auth "hmac" and goes into the config as hex. */
export function deviceConfig(s: DeviceSettings, hmacKey?: Uint8Array): AgentConfig {
  checkDeviceId(s.id);
  const prefix = new FleetTopics(s.prefix ?? 'mote/fleet').prefix;
  const u = checkBrokerUrl(s.broker);
  const tls = u.protocol === 'mqtts:' || u.protocol === 'tls:';
  if (!tls && u.protocol !== 'mqtt:' && u.protocol !== 'tcp:')
    throw new Error(`the board agent connects over MQTT (mqtt://host:port) or MQTT over TLS (mqtts://host:port); ${u.protocol}// is for the IDE's own connection`);
  if (!u.hostname) throw new Error(`broker URL ${s.broker} names no host`);
  if (tls && !s.ca) throw new Error("mqtts:// needs the broker's CA certificate (a board has no list of trusted CAs of its own)");
  if (!tls && s.ca) throw new Error('a CA certificate is for mqtts:// brokers; this one is plain mqtt://');
  if (s.ca) caCertificateDer(s.ca);
  if (s.publicKey.length !== 32) throw new Error(`the fleet public key must be 32 bytes of Ed25519, not ${s.publicKey.length}`);
  for (const t of s.tags ?? []) if (!TAG.test(t)) throw new Error(`invalid tag ${JSON.stringify(t)}: use 1-32 of A-Z a-z 0-9 _ . -`);
  const block = s.block ?? 2048;
  if (!Number.isInteger(block) || block < 256 || block > 16384) throw new Error(`block size ${block} out of range 256-16384`);
  const window = s.window ?? 4;
  if (!Number.isInteger(window) || window < 2 || window > 16) throw new Error(`window ${window} out of range 2-16`);
  if (s.password !== undefined && s.user === undefined) throw new Error('a broker password needs a user name too');
  const auth = s.auth ?? 'ed25519';
  if (auth !== 'ed25519' && auth !== 'hmac') throw new Error(`auth ${JSON.stringify(auth)}: use ed25519 or hmac`);
  const cfg: AgentConfig = {
    id: s.id,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (tls ? 8883 : 1883)),
    prefix,
    key: Buffer.from(s.publicKey).toString('hex'),
    block,
    window,
  };
  if (tls) cfg.tls = true;
  if (s.user !== undefined) cfg.user = s.user;
  if (s.password !== undefined) cfg.password = s.password;
  if (s.tags?.length) cfg.tags = s.tags;
  if (s.wifi) {
    cfg.ssid = s.wifi.ssid;
    if (s.wifi.password !== undefined) cfg.wifi_password = s.wifi.password;
  }
  if (auth === 'hmac') {
    if (hmacKey?.length !== DEVICE_KEY_BYTES) throw new Error(`auth hmac needs the device's ${DEVICE_KEY_BYTES}-byte key`);
    cfg.auth = 'hmac';
    cfg.hmac = Buffer.from(hmacKey).toString('hex');
  }
  return cfg;
}

/** Refuses bad settings before anything is generated or written (the key itself is made later, by provisionBoard). */
export function checkDeviceSettings(s: DeviceSettings): void {
  deviceConfig(s, s.auth === 'hmac' ? new Uint8Array(DEVICE_KEY_BYTES) : undefined);
}

/**
 * The fleet's raw public key from a file: the IDE's signing key (PKCS#8 PEM;
 * only its public half is used), a public key PEM, 64 hex digits, or 32 raw bytes.
 */
export function readPublicKey(file: string): Uint8Array {
  const data = readInput(file, 'the fleet key');
  const text = data.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (text.startsWith('-----BEGIN')) {
    let key;
    try {
      key = createPublicKey(text);
    } catch (e) {
      throw new Error(`${file} is not a key PEM: ${(e as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} holds an ${key.asymmetricKeyType} key; the fleet signs with ed25519`);
    return rawPublicKey(key);
  }
  if (data.length === 32) return data;
  throw new Error(`${file} is not an Ed25519 key (PEM, 64 hex digits or 32 raw bytes)`);
}

/**
 * The broker's CA certificate from a file, as the DER bytes the board is
 * given (a PEM file holding one certificate, or DER already). One
 * certificate only: the board's mbedTLS parses a single DER certificate.
 */
export function readCaCertificate(file: string): Uint8Array {
  return caCertificateDer(readInput(file, 'the CA certificate'), file);
}

function readInput(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** DER of the one CA certificate in `data` (PEM text or DER bytes, e.g. the IDE's broker settings' `ca`). */
export function caCertificateDer(data: Uint8Array | string, what = 'the CA certificate'): Uint8Array {
  const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
  const text = buf.toString('latin1');
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (pems && pems.length > 1) throw new Error(`${what} holds ${pems.length} certificates; give the one CA certificate that signed the broker's`);
  try {
    // A self-signed broker certificate given as its own CA works too, as on mbedTLS.
    return new Uint8Array(new X509Certificate(pems ? pems[0] : buf).raw);
  } catch {
    throw new Error(`${what} is not an X.509 certificate (PEM or DER)`);
  }
}
