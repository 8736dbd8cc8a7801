// The WebREPL binary file protocol's byte layouts (see ../shared/PROTOCOLS.md
// and the webrepl-put-get recording): the 82-byte 'WA' request, the 'WB'
// status, GET's length-prefixed chunks and GET_VER's three version bytes.
// Pure functions, shared by the client and the simulator's server.

export const OP_PUT = 1;
export const OP_GET = 2;
export const OP_GET_VER = 3;
export type FileOp = typeof OP_PUT | typeof OP_GET | typeof OP_GET_VER;

/** '<2sBBQLH64s': signature, type, flags, offset, size, name length, name. */
export const REQUEST_BYTES = 82;
const NAME_FIELD = 64;
/** The board keeps the name as a C string in the 64-byte field. */
export const MAX_NAME_BYTES = NAME_FIELD - 1;
export const STATUS_BYTES = 4;
/** The most file bytes one GET reply carries (the board's buffer). */
export const GET_CHUNK_BYTES = 256;

export interface FileRequest {
  op: FileOp;
  /** File size for PUT; 0 otherwise. */
  size: number;
  name: string;
}

/** A board path WebREPL cannot carry; says why in words a user can act on. */
export class WebReplNameError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'WebReplNameError';
  }
}

/** The name as the board will see it, or a WebReplNameError (empty, too long, NUL inside). */
export function checkName(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0) throw new WebReplNameError('a WebREPL file transfer needs a file name', name);
  if (bytes.includes(0)) throw new WebReplNameError(`the file name ${JSON.stringify(name)} contains a NUL character`, name);
  if (bytes.length > MAX_NAME_BYTES) {
    throw new WebReplNameError(
      `the board path ${JSON.stringify(name)} is ${bytes.length} bytes long (UTF-8); WebREPL file transfers allow at most ` +
        `${MAX_NAME_BYTES}. Use a shorter name or fewer folders.`,
      name,
    );
  }
  return bytes;
}

export function encodeRequest(req: FileRequest): Buffer {
  const name = req.op === OP_GET_VER ? Buffer.alloc(0) : checkName(req.name);
  const b = Buffer.alloc(REQUEST_BYTES);
  b.write('WA', 0, 'latin1');
  b[2] = req.op;
  b[3] = 0; // flags
  b.writeBigUInt64LE(0n, 4); // offset: unused by every server
  b.writeUInt32LE(req.size, 12);
  b.writeUInt16LE(name.length, 16);
  name.copy(b, 18);
  return b;
}

/**
 * Reads a request as a board does: the name is the declared length, cut at
 * the first NUL and at 63 bytes (the C string in the 64-byte field).
 */
export function decodeRequest(b: Uint8Array): FileRequest {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length < REQUEST_BYTES) throw new Error(`a WebREPL request is ${REQUEST_BYTES} bytes, got ${buf.length}`);
  if (buf[0] !== 0x57 || buf[1] !== 0x41) throw new Error(`not a WebREPL request (signature ${buf.subarray(0, 2).toString('hex')})`);
  const op = buf[2];
  if (op !== OP_PUT && op !== OP_GET && op !== OP_GET_VER) throw new Error(`unknown WebREPL request type ${op}`);
  const len = Math.min(buf.readUInt16LE(16), MAX_NAME_BYTES);
  let field = buf.subarray(18, 18 + len);
  const nul = field.indexOf(0);
  if (nul >= 0) field = field.subarray(0, nul);
  return { op, size: buf.readUInt32LE(12), name: field.toString('utf8') };
}

export function encodeStatus(code: number): Buffer {
  const b = Buffer.from('WB\0\0', 'latin1');
  b.writeUInt16LE(code, 2);
  return b;
}

/** The status code of a 'WB' reply (0 = OK). */
export function decodeStatus(b: Uint8Array): number {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length !== STATUS_BYTES || buf[0] !== 0x57 || buf[1] !== 0x42) {
    throw new Error(`expected a WebREPL 'WB' status, got ${JSON.stringify(buf.toString('latin1'))}`);
  }
  return buf.readUInt16LE(2);
}

/** One GET reply: uint16 LE length, then the bytes; an empty chunk ends the file. */
export function encodeChunk(data: Uint8Array): Buffer {
  if (data.length > 0xffff) throw new Error('a GET chunk holds at most 65535 bytes');
  const b = Buffer.alloc(2 + data.length);
  b.writeUInt16LE(data.length, 0);
  b.set(data, 2);
  return b;
}

export function chunkLength(head: Uint8Array): number {
  return head[0] | (head[1] << 8);
}

export type Version = [major: number, minor: number, micro: number];

export function encodeVersion(v: Version): Buffer {
  return Buffer.from(v);
}

export function decodeVersion(b: Uint8Array): Version {
  if (b.length !== 3) throw new Error(`a WebREPL version is 3 bytes, got ${b.length}`);
  return [b[0], b[1], b[2]];
}
