// The fleet's broker choice, per user (not per project: one fleet per IDE).
// The settings file <dataDir>/fleet/broker.json never holds a password: the
// external broker's password and the embedded broker's credential live in the
// SecretStore. The embedded credential is made once and kept, so a board
// provisioned in one session still gets in after the app restarts.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_EMBEDDED_BROKER, fleetBrokerProblem, type FleetBrokerRequest, type FleetBrokerSettings, type FleetEmbeddedBroker, type FleetExternalBroker,
} from '../../common/fleet-types.js';
import { checkBrokerUrl, type BrokerConfig } from '../../../ota/server/broker/broker-config.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { writeFileAtomicSync } from '../../../runtime/node/atomic-file.js';

const SETTINGS_FILE = 'broker.json';
/** The secret store's key for the embedded broker's password (user EMBEDDED_USER). */
export const EMBEDDED_SECRET = 'fleet-broker:embedded';
const EXTERNAL_SECRET = 'fleet-broker:external';
/** The user name boards and the IDE present to the embedded broker. */
export const EMBEDDED_USER = 'mote';

/** Settings ready to apply: what gets saved, and the password that goes with them (external only). */
export interface PreparedBroker {
  settings: FleetBrokerSettings;
  config: BrokerConfig;
  /** The external password to save with them (null: none). */
  password: string | null;
}

export class BrokerSettingsStore {
  private readonly file: string;

  constructor(
    fleetDir: string,
    private readonly secrets: SecretStore,
  ) {
    this.file = path.join(fleetDir, SETTINGS_FILE);
  }

  /** The saved settings; the embedded broker's defaults when none are saved (or the file is not ours). */
  load(): FleetBrokerSettings {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return { ...DEFAULT_EMBEDDED_BROKER };
    }
    return fleetBrokerProblem(parsed) === null ? (parsed as FleetBrokerSettings) : { ...DEFAULT_EMBEDDED_BROKER };
  }

  get passwordSet(): boolean {
    return this.load().kind === 'embedded' || this.secrets.get(EXTERNAL_SECRET) !== null;
  }

  /** Saves settings and their password together, after they were shown to work. */
  save(p: PreparedBroker): void {
    if (p.settings.kind === 'external') {
      if (p.password === null) this.secrets.delete(EXTERNAL_SECRET);
      else this.secrets.set(EXTERNAL_SECRET, p.password);
    }
    writeFileAtomicSync(this.file, JSON.stringify(p.settings, null, 1) + '\n');
  }

  /** The saved settings as a broker to start on. */
  current(): Promise<PreparedBroker> {
    const s = this.load();
    return s.kind === 'embedded' ? Promise.resolve(this.embedded(s)) : this.external(s, this.secrets.get(EXTERNAL_SECRET));
  }

  /** A request from the Broker dialog as a broker to try: its URL checked and its PEM files read, or a specific error. */
  prepare(req: FleetBrokerRequest): Promise<PreparedBroker> {
    const problem = fleetBrokerProblem(req);
    if (problem) return Promise.reject(new Error(problem));
    if (req.kind === 'embedded') return Promise.resolve(this.embedded({ kind: 'embedded', host: req.host, port: req.port }));
    const { password, ...rest } = req;
    const settings = { ...rest, url: rest.url.trim() };
    const saved = password === undefined && this.keepsPassword(settings) ? this.secrets.get(EXTERNAL_SECRET) : password || null;
    return this.external(settings, saved);
  }

  /** A saved password goes only to the broker and user it was saved for, never to a host typed in since. */
  private keepsPassword(next: FleetExternalBroker): boolean {
    const now = this.load();
    return now.kind === 'external' && now.url === next.url && now.username === next.username;
  }

  private embedded(s: FleetEmbeddedBroker): PreparedBroker {
    return { settings: s, config: { kind: 'embedded', host: s.host, port: s.port, ...this.embeddedLogin() }, password: null };
  }

  private async external(s: FleetExternalBroker, password: string | null): Promise<PreparedBroker> {
    const u = checkBrokerUrl(s.url);
    const tls = u.protocol === 'mqtts:' || u.protocol === 'wss:' || u.protocol === 'tls:';
    if (!tls && (s.caFile || s.certFile || s.acceptSelfSigned)) {
      throw new Error(`TLS options need a TLS URL: use mqtts:// or wss:// instead of ${u.protocol}//`);
    }
    const [ca, cert, key] = await Promise.all([pem(s.caFile, 'CA file'), pem(s.certFile, 'client certificate'), pem(s.keyFile, 'client key')]);
    const config: BrokerConfig = {
      kind: 'external', url: s.url, username: s.username || undefined, password: password ?? undefined, ca, cert, key,
      rejectUnauthorized: !s.acceptSelfSigned,
    };
    return { settings: s, config, password };
  }

  /** How boards and the IDE log in to the embedded broker. */
  embeddedLogin(): { username: string; password: string } {
    return { username: EMBEDDED_USER, password: this.embeddedPassword() };
  }

  /** The embedded broker's password: made on first use and kept in the secret store from then on. */
  private embeddedPassword(): string {
    const saved = this.secrets.get(EMBEDDED_SECRET);
    if (saved) return saved;
    const fresh = randomBytes(18).toString('base64url');
    this.secrets.set(EMBEDDED_SECRET, fresh);
    return fresh;
  }
}

async function pem(file: string, what: string): Promise<string | undefined> {
  if (!file) return undefined;
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'it is a folder' : err.message;
    throw new Error(`cannot read the ${what} ${file}: ${why}`);
  }
  if (!text.includes('-----BEGIN ')) throw new Error(`the ${what} ${file} is not PEM text (no "-----BEGIN" line)`);
  return text;
}

/** The status line: where the fleet's broker is, never with a password. */
export function brokerSummary(s: FleetBrokerSettings): string {
  if (s.kind === 'embedded') return `Embedded broker on ${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`;
  const u = new URL(s.url);
  const who = s.username ? ` as ${s.username}` : '';
  return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}${who}${s.acceptSelfSigned ? ' (any certificate accepted)' : ''}`;
}

