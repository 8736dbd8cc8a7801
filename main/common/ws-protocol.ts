// Browser-mode wire protocol: the messages the WebSocket client (renderer) and
// the browser-mode server (Node) exchange, as one union both ends import.
// Pure TypeScript: no Node or DOM-only APIs, so it runs on both ends.
//
// Frames are JSON text. JSON cannot carry bytes, so values go through
// `toWire`/`fromWire`, which tag them:
//   Uint8Array (and Node Buffer)  -> {"$t":"bytes","v":"<base64>"}
//   a plain object that itself has a "$t" key -> {"$t":"object","v":{...}}
// The second rule keeps the tagging unambiguous whatever the payload holds.

import { API_EVENTS, type MoteEventName } from './api.js';

/** Client -> server: invoke one API method. `id` pairs the call with its result. */
export interface CallMessage {
  type: 'call';
  id: number;
  method: string;
  args: unknown[];
}

/** Server -> client: the outcome of call `id`. */
export type ResultMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string };

/** Server -> client: a back-end event, fanned out to every connected client. */
export interface EventMessage {
  type: 'event';
  event: MoteEventName;
  payload: unknown;
}

export type ClientMessage = CallMessage;
export type ServerMessage = ResultMessage | EventMessage;
export type WireMessage = ClientMessage | ServerMessage;

/** Largest frame either end accepts. API text arguments may be 16 Mi characters,
 *  which JSON-escape to at most 6 bytes each in the worst case. */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024;

/** Nesting deeper than this is refused when decoding (API payloads are shallow). */
const MAX_DEPTH = 64;

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** A malformed call whose id is known, so the failure can be answered. */
export class CallProtocolError extends ProtocolError {
  constructor(
    readonly id: number,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------
// Encoding

export function encodeMessage(message: WireMessage): string {
  return JSON.stringify(toWire(message, 0));
}

/** Turns a value into plain JSON data, tagging bytes (see the header comment). */
export function toWire(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new ProtocolError('value is nested too deeply to encode');
  if (value instanceof Uint8Array) return { $t: 'bytes', v: bytesToBase64(value) };
  if (Array.isArray(value)) return value.map((item) => toWire(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = toWire(item, depth + 1);
    }
    return Object.prototype.hasOwnProperty.call(value, '$t') ? { $t: 'object', v: out } : out;
  }
  return value;
}

// ---------------------------------------------------------------------------
// Decoding: never trust the shape of what arrives; check it and say what is wrong.

/** Parses a frame sent by a client. Throws ProtocolError; `id` is set on the
 *  error when the frame had a usable id, so the server can answer that call. */
export function decodeClientMessage(text: string): ClientMessage {
  const raw = parseFrame(text);
  const id = raw.id;
  if (!isRequestId(id)) throw new ProtocolError('call id must be a non-negative safe integer');
  if (raw.type !== 'call') throw new CallProtocolError(id, `expected a call message, got type ${describe(raw.type)}`);
  if (typeof raw.method !== 'string') throw new CallProtocolError(id, 'call method must be a string');
  if (!Array.isArray(raw.args)) throw new CallProtocolError(id, 'call args must be an array');
  let args: unknown[];
  try {
    args = fromWire(raw.args, 0) as unknown[];
  } catch (err) {
    throw new CallProtocolError(id, (err as Error).message);
  }
  return { type: 'call', id, method: raw.method, args };
}

/** Parses a frame sent by the server. Throws ProtocolError. */
export function decodeServerMessage(text: string): ServerMessage {
  const raw = parseFrame(text);
  if (raw.type === 'result') {
    if (!isRequestId(raw.id)) throw new ProtocolError('result id must be a non-negative safe integer');
    if (raw.ok === true) return { type: 'result', id: raw.id, ok: true, value: fromWire(raw.value, 0) };
    if (raw.ok === false) {
      if (typeof raw.error !== 'string') throw new ProtocolError('failed result must carry an error string');
      return { type: 'result', id: raw.id, ok: false, error: raw.error };
    }
    throw new ProtocolError('result ok must be a boolean');
  }
  if (raw.type === 'event') {
    if (!isEventName(raw.event)) throw new ProtocolError(`unknown event ${describe(raw.event)}`);
    return { type: 'event', event: raw.event, payload: fromWire(raw.payload, 0) };
  }
  throw new ProtocolError(`expected a result or event message, got type ${describe(raw.type)}`);
}

/** Reverses `toWire`. Throws ProtocolError on a malformed tag. */
export function fromWire(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new ProtocolError('message is nested too deeply');
  if (Array.isArray(value)) return value.map((item) => fromWire(item, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(obj, '$t')) {
    if (obj.$t === 'bytes') {
      if (typeof obj.v !== 'string') throw new ProtocolError('bytes tag must carry a base64 string');
      return base64ToBytes(obj.v);
    }
    if (obj.$t === 'object') {
      if (obj.v === null || typeof obj.v !== 'object' || Array.isArray(obj.v)) {
        throw new ProtocolError('object tag must carry an object');
      }
      return decodeObject(obj.v as Record<string, unknown>, depth);
    }
    throw new ProtocolError(`unknown value tag ${describe(obj.$t)}`);
  }
  return decodeObject(obj, depth);
}

function decodeObject(obj: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(obj)) {
    // Assigning "__proto__" would swap the object's prototype; no API payload uses that key.
    if (key === '__proto__') continue;
    out[key] = fromWire(item, depth + 1);
  }
  return out;
}

function parseFrame(text: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ProtocolError('frame is not valid JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ProtocolError('frame must be a JSON object');
  }
  return raw as Record<string, unknown>;
}

function isRequestId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isEventName(v: unknown): v is MoteEventName {
  return typeof v === 'string' && (API_EVENTS as string[]).includes(v);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 32)) : typeof v;
}

// ---------------------------------------------------------------------------
// Base64 (RFC 4648, with padding). Written out because Node's Buffer is not in
// browsers and atob/btoa go through binary strings and accept sloppy input.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61; // '='
const ASCII = new TextDecoder();

export function bytesToBase64(bytes: Uint8Array): string {
  // Written as ASCII codes into one buffer and decoded once: building the
  // string four characters at a time is ~25x slower for large payloads.
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ALPHABET_CODES[n >> 18];
    out[o++] = ALPHABET_CODES[(n >> 12) & 63];
    out[o++] = ALPHABET_CODES[(n >> 6) & 63];
    out[o++] = ALPHABET_CODES[n & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = ALPHABET_CODES[n >> 18];
    out[o++] = ALPHABET_CODES[(n >> 12) & 63];
    out[o++] = rest === 2 ? ALPHABET_CODES[(n >> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  return ASCII.decode(out);
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new ProtocolError('base64 length must be a multiple of 4');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = last && pad === 2 ? 0 : sextet(text, i + 2);
    const d = last && pad >= 1 ? 0 : sextet(text, i + 3);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const v = code < 128 ? LOOKUP[code] : -1;
  if (v < 0) throw new ProtocolError(`invalid base64 character at offset ${index}`);
  return v;
}
