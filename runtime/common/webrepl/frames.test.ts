// The file protocol's byte layouts, checked against frames recorded from a
// real WebREPL server (MicroPython's modwebrepl, see runtime/testing/vectors).
import { describe, expect, it } from 'vitest';
import { loadVector, type VectorStep } from '../../testing/vectors.js';
import {
  MAX_NAME_BYTES,
  OP_GET,
  OP_GET_VER,
  OP_PUT,
  REQUEST_BYTES,
  WebReplNameError,
  checkName,
  chunkLength,
  decodeRequest,
  decodeStatus,
  decodeVersion,
  encodeChunk,
  encodeRequest,
  encodeStatus,
  encodeVersion,
} from './frames.js';

interface FrameStep extends VectorStep {
  frame?: string;
  note?: string;
}

function binarySteps(name: string): Array<{ dir: string; bytes: Buffer }> {
  const v = loadVector(name);
  return (v.steps as FrameStep[]).filter((s) => s.frame === 'binary').map((s) => ({ dir: s.dir, bytes: Buffer.from(s.hex, 'hex') }));
}

describe('WebREPL file protocol frames', () => {
  const steps = binarySteps('webrepl-put-get');
  const putData = Buffer.from((loadVector('webrepl-put-get') as unknown as { put_data_hex: string }).put_data_hex, 'hex');

  it('encodes GET_VER, PUT and GET requests byte for byte as the recording', () => {
    const requests = steps.filter((s) => s.dir === 'host->board' && s.bytes.length === REQUEST_BYTES);
    expect(requests).toHaveLength(3);
    expect(encodeRequest({ op: OP_GET_VER, size: 0, name: '' })).toEqual(requests[0].bytes);
    expect(encodeRequest({ op: OP_PUT, size: 300, name: 'vec300.bin' })).toEqual(requests[1].bytes);
    expect(encodeRequest({ op: OP_GET, size: 0, name: 'vec300.bin' })).toEqual(requests[2].bytes);
    const missing = binarySteps('webrepl-get-missing').find((s) => s.dir === 'host->board')!;
    expect(encodeRequest({ op: OP_GET, size: 0, name: 'does-not-exist.bin' })).toEqual(missing.bytes);
  });

  it('decodes the recorded requests as a server does', () => {
    const requests = steps.filter((s) => s.dir === 'host->board' && s.bytes.length === REQUEST_BYTES);
    expect(requests.map((r) => decodeRequest(r.bytes))).toEqual([
      { op: OP_GET_VER, size: 0, name: '' },
      { op: OP_PUT, size: 300, name: 'vec300.bin' },
      { op: OP_GET, size: 0, name: 'vec300.bin' },
    ]);
  });

  it('reads the version, the statuses and the GET chunks the server sent', () => {
    const replies = steps.filter((s) => s.dir === 'board->host').map((s) => s.bytes);
    expect(decodeVersion(replies[0])).toEqual([1, 29, 0]);
    expect(encodeVersion([1, 29, 0])).toEqual(replies[0]);
    // PUT: opened, written; GET: opened.
    for (const i of [1, 2, 3]) expect(decodeStatus(replies[i])).toBe(0);
    expect(encodeStatus(0)).toEqual(replies[1]);
    const chunks = replies.slice(4, 7);
    const data = Buffer.concat(chunks.map((c) => c.subarray(2, 2 + chunkLength(c))));
    expect(chunks.map((c) => chunkLength(c))).toEqual([256, 44, 0]);
    expect(data).toEqual(putData);
    expect(Buffer.concat([encodeChunk(putData.subarray(0, 256)), encodeChunk(putData.subarray(256)), encodeChunk(Buffer.alloc(0))])).toEqual(
      Buffer.concat(chunks),
    );
    expect(decodeStatus(replies[7])).toBe(0);
    expect(() => decodeStatus(Buffer.from('\r\n'))).toThrow(/'WB' status/);
  });

  it('accepts names up to 63 bytes and rejects 64 with a clear error', () => {
    const ok = '/' + 'a'.repeat(MAX_NAME_BYTES - 1);
    expect(checkName(ok)).toHaveLength(63);
    const long = '/' + 'a'.repeat(MAX_NAME_BYTES);
    expect(() => encodeRequest({ op: OP_PUT, size: 1, name: long })).toThrow(WebReplNameError);
    expect(() => checkName(long)).toThrow(/64 bytes long \(UTF-8\); WebREPL file transfers allow at most 63/);
    // Bytes, not characters: 32 two-byte characters are 64 bytes.
    expect(() => checkName('é'.repeat(32))).toThrow(/64 bytes/);
    expect(() => checkName('')).toThrow(/needs a file name/);
    expect(() => checkName('a\0b')).toThrow(/NUL/);
  });

  it('cuts an over-long or NUL-padded name the way the board reads its C string', () => {
    const b = encodeRequest({ op: OP_PUT, size: 5, name: 'x.py' });
    b.writeUInt16LE(64, 16);
    expect(decodeRequest(b).name).toBe('x.py');
    const full = Buffer.from(b);
    full.fill(0x61, 18, 82);
    expect(decodeRequest(full).name).toBe('a'.repeat(63));
  });
});
