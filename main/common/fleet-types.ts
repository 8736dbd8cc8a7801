// What the fleet dashboard shows, as the back end sends it: plain data, so it
// crosses IPC and the browser-mode WebSocket unchanged. Shaped for display
// (per-wave counts already summed) so the renderer does no fleet arithmetic.

export interface FleetDeviceInfo {
  id: string;
  online: boolean;
  app: string | null;
  /** Installed release (0 before the first update). */
  seq: number;
  slot: string | null;
  port: string | null;
  /** Free heap and flash in bytes, as the device last reported. */
  mem: number | null;
  flash: number | null;
  lastSeen: number;
  tags: string[];
  /** Its state in the newest rollout that targets it ('pending', 'downloading', 'succeeded', 'failed' ...), or null. */
  status: string | null;
  /** Download progress in percent while downloading. */
  progress: number;
  /** Why it failed, was rejected or rolled back (from the rollout, or the device's own last report). */
  error: string | null;
}

export interface FleetReleaseInfo {
  seq: number;
  app: string;
  files: number;
  bytes: number;
  /** "folder /path" or "rollback to N". */
  source: string;
  createdAt: number;
}

export interface FleetWaveInfo {
  wave: number;
  size: number;
  started: boolean;
  finished: boolean;
  succeeded: number;
  failed: number;
  /** Told and working on it (any step between notified and trial). */
  active: number;
  /** Not told yet. */
  pending: number;
  /** Not finished and offline now: a wave short of its success ratio waits for them to come back. */
  offline: number;
  byState: Record<string, number>;
}

export type FleetRolloutState = 'running' | 'paused' | 'completed' | 'canceled';

export interface FleetRolloutInfo {
  id: number;
  seq: number;
  group: string;
  state: FleetRolloutState;
  /** Index of the current wave. */
  wave: number;
  /** Why it paused or was canceled. */
  reason: string | null;
  createdAt: number;
  waves: FleetWaveInfo[];
  /** Devices per state over the whole rollout. */
  counts: Record<string, number>;
}

export interface FleetAuditInfo {
  id: number;
  ts: number;
  action: string;
  /** The entry's details as one line of text. */
  detail: string;
}

export interface FleetStatus {
  /** Where devices connect (never with credentials), and the broker's last error. */
  broker: { url: string; lastError: string | null };
  devices: FleetDeviceInfo[];
  /** Every group (tag) some device has. */
  groups: string[];
  /** Newest first. */
  releases: FleetReleaseInfo[];
  /** Newest first. */
  rollouts: FleetRolloutInfo[];
  /** Newest first. */
  audit: FleetAuditInfo[];
  /** Simulated boards running the real agent, and the group they join. */
  simulated: { boards: number; group: string };
}

export type FleetRolloutAction = 'pause' | 'resume' | 'cancel' | 'rollback';

export const FLEET_ROLLOUT_ACTIONS: readonly FleetRolloutAction[] = ['pause', 'resume', 'cancel', 'rollback'];

/** The group simulated boards are provisioned into. */
export const SIMULATED_GROUP = 'simulated';

/** How many simulated boards one call may start (each is a MicroPython interpreter in a worker). */
export const MAX_SIMULATED_BOARDS = 20;

/** A group (tag) name as the fleet service stores it: one MQTT topic level's safe characters. */
export function fleetGroupProblem(v: unknown): string | null {
  if (typeof v !== 'string') return 'group must be a string';
  return /^[A-Za-z0-9_.-]{1,64}$/.test(v) ? null : 'group must be 1-64 letters, digits, "_", "." or "-"';
}

/** What the IDE's "Provision this board" sends: the device's settings (the fleet key is the IDE's own). */
export interface FleetProvisionRequest {
  /** Device id and MQTT client id. */
  id: string;
  /** mqtt://host[:port] the board can reach; empty only for the simulated board (the embedded broker). */
  broker: string;
  user?: string;
  password?: string;
  wifiSsid?: string;
  wifiPassword?: string;
  tags?: string[];
  /** How the board checks releases: the fleet's Ed25519 signature (default), or a per-device HMAC key (fast on an ESP8266). */
  auth?: 'ed25519' | 'hmac';
}

/** What provisioning did (never the passwords). */
export interface FleetProvisionResult {
  id: string;
  /** Where the board will connect, without credentials. */
  broker: string;
  files: number;
  /** The board's own main.py became the app in slot a. */
  movedApp: boolean;
}

const PROVISION_FIELDS: Record<keyof FleetProvisionRequest, number> = {
  id: 64, broker: 512, user: 128, password: 256, wifiSsid: 32, wifiPassword: 63, tags: 16, auth: 7,
};

/** Why a provisioning request is refused before anything reaches the board, or null. */
export function fleetProvisionProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'provisioning settings must be an object';
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(k in PROVISION_FIELDS)) return `unknown provisioning setting ${JSON.stringify(k.slice(0, 32))}`;
  }
  for (const [k, max] of Object.entries(PROVISION_FIELDS)) {
    const x = o[k];
    if (k === 'tags') {
      if (x === undefined) continue;
      if (!Array.isArray(x) || x.length > max) return `tags must be a list of at most ${max} names`;
      for (const t of x) {
        const p = fleetGroupProblem(t);
        if (p) return p.replace(/^group/, `tag ${JSON.stringify(String(t).slice(0, 64))}`);
      }
      continue;
    }
    if (x === undefined && k !== 'id' && k !== 'broker') continue;
    if (typeof x !== 'string') return `${k} must be a string`;
    if (x.length > max) return `${k} must be at most ${max} characters`;
    // The config file is JSON read by the board; control characters there are a typo, never intended.
    if (/[\0-\x1f\x7f]/.test(x)) return `${k} cannot contain control characters or line breaks`;
  }
  if (!(o.id as string)) return 'device id is required';
  if (o.auth !== undefined && o.auth !== 'ed25519' && o.auth !== 'hmac') return 'auth must be ed25519 or hmac';
  if (o.password !== undefined && o.user === undefined) return 'a broker password needs a user name too';
  if (o.wifiPassword !== undefined && o.wifiSsid === undefined) return 'a Wi-Fi password needs the network name (SSID) too';
  return null;
}

/** The fleet's own broker, started with the app: every interface (0.0.0.0) or one address, on a fixed port. */
export interface FleetEmbeddedBroker {
  kind: 'embedded';
  host: string;
  port: number;
}

/** Any MQTT 3.1.1 broker. File paths are on this computer; their PEM is read when the broker is applied. */
export interface FleetExternalBroker {
  kind: 'external';
  /** mqtt://, mqtts://, ws:// or wss://, without credentials. */
  url: string;
  /** '' for none. */
  username: string;
  /** CA bundle to trust (PEM file); '' for the system's CAs. */
  caFile: string;
  /** Client certificate and key (PEM files) for brokers that ask for one; '' for none. */
  certFile: string;
  keyFile: string;
  /** Accept a certificate nobody vouches for (a lab broker's self-signed one): anyone in the middle could pose as the broker. */
  acceptSelfSigned: boolean;
}

export type FleetBrokerSettings = FleetEmbeddedBroker | FleetExternalBroker;

/**
 * What the Broker dialog sends. `password` (external only): a new one, '' for
 * none, or absent to keep the saved one. The embedded broker's password is the
 * IDE's own, generated once.
 */
export type FleetBrokerRequest = FleetEmbeddedBroker | (FleetExternalBroker & { password?: string });

/** The broker as the renderer sees it: never a password, only whether one is saved. */
export interface FleetBrokerInfo {
  settings: FleetBrokerSettings;
  passwordSet: boolean;
  /** One line for the status bar: "Embedded broker on 0.0.0.0:1883", "mqtts://host:8883 as ops". */
  summary: string;
  /** Why the fleet service is not running on it (port in use, broker refused ...), or null. */
  error: string | null;
}

export const DEFAULT_EMBEDDED_BROKER: FleetEmbeddedBroker = { kind: 'embedded', host: '0.0.0.0', port: 1883 };

const EXTERNAL_FIELDS: Record<keyof FleetExternalBroker | 'password', 'string' | 'boolean'> = {
  kind: 'string', url: 'string', username: 'string', password: 'string', caFile: 'string', certFile: 'string', keyFile: 'string', acceptSelfSigned: 'boolean',
};
const FIELD_MAX: Record<string, number> = { url: 512, username: 128, password: 256, caFile: 4096, certFile: 4096, keyFile: 4096, host: 255 };

/** Why a broker request is refused before anything is tried (its shape only; the back end checks the URL and files), or null. */
export function fleetBrokerProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'broker settings must be an object';
  const o = v as Record<string, unknown>;
  if (o.kind === 'embedded') {
    if (Object.keys(o).sort().join() !== 'host,kind,port') return 'embedded broker settings must be { kind, host, port }';
    if (typeof o.host !== 'string' || !/^[A-Za-z0-9.:_-]{1,255}$/.test(o.host)) return 'listen address must be an IP address or host name, e.g. 0.0.0.0';
    if (typeof o.port !== 'number' || !Number.isInteger(o.port) || o.port < 1 || o.port > 65535) return 'port must be a whole number from 1 to 65535';
    return null;
  }
  if (o.kind !== 'external') return 'broker kind must be embedded or external';
  for (const k of Object.keys(o)) if (!(k in EXTERNAL_FIELDS)) return `unknown broker setting ${JSON.stringify(k.slice(0, 32))}`;
  for (const [k, type] of Object.entries(EXTERNAL_FIELDS)) {
    const x = o[k];
    if (x === undefined && k === 'password') continue;
    if (typeof x !== type) return `${k} must be a ${type}`;
    if (type === 'string') {
      if ((x as string).length > FIELD_MAX[k]) return `${k} must be at most ${FIELD_MAX[k]} characters`;
      if (/[\0-\x1f\x7f]/.test(x as string)) return `${k} cannot contain control characters or line breaks`;
    }
  }
  if (!(o.url as string).trim()) return 'the broker URL is required (e.g. mqtts://broker.example.com:8883)';
  if ((o.certFile === '') !== (o.keyFile === '')) return 'a client certificate needs its key file too (or leave both empty)';
  return null;
}

/** The IDE's fleet prefix: its service's topics, and the ones its embedded broker keeps from boards and guests. */
export const FLEET_PREFIX = 'mote/fleet';
