// Control messages: compact JSON (ota/PROTOCOL.md §Messages). Each parser
// checks every field it uses, because these arrive from devices (or from
// anyone who can publish on the broker) and are never trusted.

/** Largest manifest a device accepts (about 500 files). */
export const MAX_MANIFEST_BYTES = 64 * 1024;

/** Steps a device reports while applying a release. */
export const PROGRESS_STATES = ['downloading', 'verified', 'staged', 'trial'] as const;
/** Outcomes: the device is done with this release. */
export const SUCCESS_STATES = ['succeeded'] as const;
export const FAILURE_STATES = ['failed', 'rejected', 'rolled_back'] as const;
export const TERMINAL_STATES = [...SUCCESS_STATES, ...FAILURE_STATES, 'canceled'] as const;

export type ProgressState = (typeof PROGRESS_STATES)[number];
export type TerminalState = (typeof TERMINAL_STATES)[number];
export type DeviceStep = ProgressState | TerminalState;
const STEPS: ReadonlySet<string> = new Set([...PROGRESS_STATES, ...TERMINAL_STATES]);
const FAILURES: ReadonlySet<string> = new Set(FAILURE_STATES);

export function isFailure(s: string): boolean {
  return FAILURES.has(s);
}
export function isTerminal(s: string): boolean {
  return s === 'succeeded' || s === 'canceled' || FAILURES.has(s);
}

/**
 * `<prefix>/dev/<id>/desired`, retained, QoS 1. An empty payload means "no
 * release wanted". The manifest itself is fetched through the block server
 * by its SHA-256, so this message stays ~200 bytes however many files a
 * release has (umqtt reads each message whole into RAM, and a device
 * receives this one again after every reconnect).
 */
export interface DesiredMessage {
  /** Same as the manifest's seq; lets a device skip work for what it already has. Not trusted until the manifest is verified. */
  seq: number;
  /** Hex SHA-256 of the canonical manifest text. */
  h: string;
  /** Size of the manifest text in bytes. */
  n: number;
  /** Base64 Ed25519 signature over the manifest text's bytes. */
  s: string;
  /** Start-time jitter: the device waits a random 0..j ms before its first block request. */
  j: number;
  /** Only to a device provisioned with its own key: hex HMAC-SHA256 of the manifest text's bytes under that key. */
  m?: string;
}

/** `<prefix>/dev/<id>/status`, QoS 1, not retained. */
export interface StatusMessage {
  seq: number;
  st: DeviceStep;
  /** Percent downloaded, with `downloading`. */
  p?: number;
  /** Why, with failed / rejected / rolled_back / canceled. */
  why?: string;
}

/** `<prefix>/dev/<id>/state`, retained, QoS 1. */
export interface StateMessage {
  app: string;
  /** Installed release sequence (0: none through OTA yet). */
  seq: number;
  slot: string;
  port: string;
  /** sys.version_info as "major.minor.micro". */
  mpy: string;
  mem: number;
  flash: number;
  tags?: string[];
  /** The last release this device finished, with how; lets the service learn outcomes it missed while down. */
  last?: { seq: number; st: TerminalState; why?: string };
}

function obj(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`${what}: not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what}: not a JSON object`);
  return v as Record<string, unknown>;
}
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStr = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseDesired(payload: Uint8Array): DesiredMessage | null {
  if (payload.length === 0) return null;
  const o = obj(Buffer.from(payload).toString('utf8'), 'desired');
  if (!isSeq(o.seq) || !isStr(o.h, 64) || !/^[0-9a-f]{64}$/.test(o.h) || !isSeq(o.n) || o.n > MAX_MANIFEST_BYTES || !isStr(o.s, 200) || !isSeq(o.j)) {
    throw new Error('desired: needs seq, h (64 hex), n (<= 64 KiB), s, j');
  }
  const d: DesiredMessage = { seq: o.seq, h: o.h, n: o.n, s: o.s, j: o.j };
  if (o.m !== undefined) {
    if (!isStr(o.m, 64) || !/^[0-9a-f]{64}$/.test(o.m)) throw new Error('desired: m must be 64 hex digits');
    d.m = o.m;
  }
  return d;
}

export function parseStatus(payload: Uint8Array): StatusMessage {
  const o = obj(Buffer.from(payload).toString('utf8'), 'status');
  if (!isSeq(o.seq) || !isStr(o.st) || !STEPS.has(o.st)) throw new Error('status: needs seq and a known st');
  const m: StatusMessage = { seq: o.seq, st: o.st as DeviceStep };
  if (isNum(o.p)) m.p = Math.max(0, Math.min(100, o.p));
  if (isStr(o.why, 500)) m.why = o.why;
  return m;
}

export function parseState(payload: Uint8Array): StateMessage {
  const o = obj(Buffer.from(payload).toString('utf8'), 'state');
  if (!isStr(o.app, 64) || !isSeq(o.seq) || !isStr(o.slot, 16) || !isStr(o.port, 32) || !isStr(o.mpy, 32)) {
    throw new Error('state: needs app, seq, slot, port, mpy');
  }
  const m: StateMessage = { app: o.app, seq: o.seq, slot: o.slot, port: o.port, mpy: o.mpy, mem: isNum(o.mem) ? o.mem : 0, flash: isNum(o.flash) ? o.flash : 0 };
  if (Array.isArray(o.tags)) m.tags = o.tags.filter((t): t is string => isStr(t, 64)).slice(0, 32);
  const last = o.last as Record<string, unknown> | undefined;
  if (last && typeof last === 'object' && isSeq(last.seq) && isStr(last.st) && isTerminal(last.st)) {
    m.last = { seq: last.seq, st: last.st as TerminalState };
    if (isStr(last.why, 500)) m.last.why = last.why;
  }
  return m;
}

/** Compact JSON as sent on the wire (no spaces: every byte is counted against the change set). */
export function encodeJson(m: object): Buffer {
  return Buffer.from(JSON.stringify(m));
}
