// Binary block request and response (ota/PROTOCOL.md §Blocks). Blocks are
// raw bytes behind a 14-byte header, so a 2 KB block costs about 2% extra on
// the wire, where base64 in JSON would cost a third.

export const BLOCK_PROTOCOL_VERSION = 1;
export const MIN_BLOCK_SIZE = 256;
export const MAX_BLOCK_SIZE = 16384;
export const MAX_BLOCKS_PER_REQUEST = 16;
export const REQUEST_LENGTH = 40;
export const BLOCK_HEADER_LENGTH = 14;

export interface BlockRequest {
  /** SHA-256 of the whole file (32 bytes): blocks are addressed by content, not by path. */
  sha256: Uint8Array;
  offset: number;
  blockSize: number;
  count: number;
}

export const enum BlockFlag {
  Data = 0,
  /** The server holds no file with that SHA-256 (released files were removed, or the device is confused). */
  NotFound = 1,
  /** The offset lies at or past the end of the file. */
  BadOffset = 2,
}

export interface BlockReply {
  flag: BlockFlag;
  /** First 8 bytes of the file's SHA-256, so the device can tell replies for an older request apart. */
  tag: Uint8Array;
  offset: number;
  data: Uint8Array;
}

export function encodeRequest(r: BlockRequest): Buffer {
  const b = Buffer.alloc(REQUEST_LENGTH);
  b[0] = BLOCK_PROTOCOL_VERSION;
  Buffer.from(r.sha256).copy(b, 1, 0, 32);
  b.writeUInt32BE(r.offset, 33);
  b.writeUInt16BE(r.blockSize, 37);
  b[39] = r.count;
  return b;
}

/** Decodes a request, or throws with the reason (the server ignores such requests). */
export function decodeRequest(b: Uint8Array): BlockRequest {
  if (b.length !== REQUEST_LENGTH) throw new Error(`block request must be ${REQUEST_LENGTH} bytes, got ${b.length}`);
  if (b[0] !== BLOCK_PROTOCOL_VERSION) throw new Error(`block request version ${b[0]} unsupported`);
  const v = Buffer.from(b.buffer, b.byteOffset, b.length);
  const r = { sha256: v.subarray(1, 33), offset: v.readUInt32BE(33), blockSize: v.readUInt16BE(37), count: v[39] };
  if (r.blockSize < MIN_BLOCK_SIZE || r.blockSize > MAX_BLOCK_SIZE) throw new Error(`block size ${r.blockSize} outside ${MIN_BLOCK_SIZE}-${MAX_BLOCK_SIZE}`);
  if (r.count < 1 || r.count > MAX_BLOCKS_PER_REQUEST) throw new Error(`block count ${r.count} outside 1-${MAX_BLOCKS_PER_REQUEST}`);
  return r;
}

export function encodeReply(r: BlockReply): Buffer {
  const b = Buffer.alloc(BLOCK_HEADER_LENGTH + r.data.length);
  b[0] = BLOCK_PROTOCOL_VERSION;
  b[1] = r.flag;
  Buffer.from(r.tag).copy(b, 2, 0, 8);
  b.writeUInt32BE(r.offset, 10);
  Buffer.from(r.data.buffer, r.data.byteOffset, r.data.length).copy(b, BLOCK_HEADER_LENGTH);
  return b;
}

export function decodeReply(b: Uint8Array): BlockReply {
  if (b.length < BLOCK_HEADER_LENGTH) throw new Error(`block reply shorter than its ${BLOCK_HEADER_LENGTH}-byte header`);
  if (b[0] !== BLOCK_PROTOCOL_VERSION) throw new Error(`block reply version ${b[0]} unsupported`);
  const v = Buffer.from(b.buffer, b.byteOffset, b.length);
  return { flag: v[1] as BlockFlag, tag: v.subarray(2, 10), offset: v.readUInt32BE(10), data: v.subarray(BLOCK_HEADER_LENGTH) };
}
