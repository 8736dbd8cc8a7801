// The reply half of a host call. A worker that asked the host for something
// (a socket's bytes, a DNS answer) is blocked in Atomics.wait and cannot
// receive messages, so the host writes the answer into this per-board shared
// buffer and bumps the Wake slot. The header is written before the id, and the
// worker reads only after it sees its own id there.

export type HostReply = { ok: true; value: unknown; bytes?: Uint8Array } | { ok: false; error: string };

/** Largest reply (JSON value plus bytes) one call can carry. */
export const MAILBOX_BYTES = 256 * 1024;

const enum Slot {
  /** Id of the call whose reply the mailbox holds (written last). */
  Id = 0,
  /** 1 ok, 0 error (the JSON part is then the message). */
  Ok = 1,
  JsonLength = 2,
  /** -1 when the reply has no bytes. */
  BytesLength = 3,
  Size = 4,
}
const HEADER = Slot.Size * 4;

const encoder = new TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);

export function createMailbox(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + MAILBOX_BYTES);
}

/** Host side: stores the reply to call `id`. An oversized reply becomes an error reply. */
export function writeReply(mailbox: SharedArrayBuffer, id: number, reply: HostReply): void {
  const head = new Int32Array(mailbox, 0, Slot.Size);
  const data = new Uint8Array(mailbox, HEADER);
  let json: Uint8Array;
  let bytes: Uint8Array | undefined;
  let ok = reply.ok;
  try {
    json = utf8(reply.ok ? (JSON.stringify(reply.value) ?? 'null') : reply.error);
    bytes = reply.ok ? reply.bytes : undefined;
  } catch (e) {
    ok = false;
    json = utf8(`the reply cannot be sent to the board (${(e as Error).message})`);
  }
  if (json.length + (bytes?.length ?? 0) > MAILBOX_BYTES) {
    ok = false;
    json = utf8(`reply too large (${json.length + (bytes?.length ?? 0)} bytes, at most ${MAILBOX_BYTES})`);
    bytes = undefined;
  }
  data.set(json, 0);
  if (bytes) data.set(bytes, json.length);
  Atomics.store(head, Slot.Ok, ok ? 1 : 0);
  Atomics.store(head, Slot.JsonLength, json.length);
  Atomics.store(head, Slot.BytesLength, bytes ? bytes.length : -1);
  Atomics.store(head, Slot.Id, id);
}

/** Worker side: the reply to call `id`, or null while it has not arrived. */
export function readReply(mailbox: SharedArrayBuffer, id: number): HostReply | null {
  const head = new Int32Array(mailbox, 0, Slot.Size);
  if (Atomics.load(head, Slot.Id) !== id) return null;
  const data = new Uint8Array(mailbox, HEADER);
  const jsonLength = Atomics.load(head, Slot.JsonLength);
  const bytesLength = Atomics.load(head, Slot.BytesLength);
  // Copied out first: TextDecoder refuses views of shared memory in browsers.
  const text = new TextDecoder().decode(data.slice(0, jsonLength));
  if (Atomics.load(head, Slot.Ok) === 0) return { ok: false, error: text };
  const value: unknown = JSON.parse(text);
  if (bytesLength < 0) return { ok: true, value };
  return { ok: true, value, bytes: data.slice(jsonLength, jsonLength + bytesLength) };
}
