import { describe, expect, it } from 'vitest';
import {
  CallProtocolError,
  ProtocolError,
  base64ToBytes,
  bytesToBase64,
  decodeClientMessage,
  decodeServerMessage,
  encodeMessage,
} from './ws-protocol.js';

describe('base64 codec', () => {
  it('matches Node for every length around the padding boundaries', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length) & 255);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(text)).toEqual(bytes);
    }
  });

  it('round-trips all 256 byte values and a large buffer', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 255);
    const text = bytesToBase64(big);
    expect(text).toBe(Buffer.from(big).toString('base64'));
    // Buffer.equals: a deep toEqual over a million elements takes seconds.
    expect(Buffer.from(base64ToBytes(text)).equals(Buffer.from(big))).toBe(true);
  });

  it('refuses malformed base64 instead of guessing', () => {
    expect(() => base64ToBytes('abc')).toThrow(/multiple of 4/);
    expect(() => base64ToBytes('ab!d')).toThrow(/invalid base64 character at offset 2/);
    expect(() => base64ToBytes('a=bc')).toThrow(ProtocolError);
  });
});

describe('message encoding', () => {
  it('carries Uint8Array payloads byte-exact inside events', () => {
    const data = Uint8Array.from([0, 1, 2, 13, 10, 0x1b, 0x5b, 0xff, 0x80]);
    const decoded = decodeServerMessage(encodeMessage({ type: 'event', event: 'terminalData', payload: data }));
    expect(decoded.type).toBe('event');
    if (decoded.type !== 'event') return;
    expect(decoded.payload).toBeInstanceOf(Uint8Array);
    expect(decoded.payload).toEqual(data);
  });

  it('encodes a Node Buffer as bytes, not as its toJSON form', () => {
    const decoded = decodeServerMessage(encodeMessage({ type: 'result', id: 1, ok: true, value: Buffer.from('hi') }));
    expect(decoded).toEqual({ type: 'result', id: 1, ok: true, value: new TextEncoder().encode('hi') });
  });

  it('keeps objects that happen to use the tag key intact', () => {
    const value = { $t: 'bytes', v: 'not base64!', nested: [{ $t: 7 }] };
    const decoded = decodeServerMessage(encodeMessage({ type: 'result', id: 2, ok: true, value }));
    expect(decoded).toEqual({ type: 'result', id: 2, ok: true, value });
  });

  it('round-trips calls with nested values', () => {
    const call = { type: 'call' as const, id: 42, method: 'run', args: ['print(1)', 'main.py', { a: [1, null, true] }] };
    expect(decodeClientMessage(encodeMessage(call))).toEqual(call);
  });

  it('round-trips failed results and void results', () => {
    const failed = { type: 'result' as const, id: 3, ok: false as const, error: 'path must not contain ..' };
    expect(decodeServerMessage(encodeMessage(failed))).toEqual(failed);
    expect(decodeServerMessage(encodeMessage({ type: 'result', id: 4, ok: true, value: undefined }))).toEqual({
      type: 'result',
      id: 4,
      ok: true,
      value: undefined,
    });
  });
});

describe('decoding untrusted frames', () => {
  it('says what is wrong with a frame', () => {
    expect(() => decodeClientMessage('not json')).toThrow('frame is not valid JSON');
    expect(() => decodeClientMessage('[1]')).toThrow('frame must be a JSON object');
    expect(() => decodeClientMessage('{"type":"call","id":-1,"method":"x","args":[]}')).toThrow(/call id/);
    expect(() => decodeServerMessage('{"type":"event","event":"hack","payload":1}')).toThrow('unknown event "hack"');
    expect(() => decodeServerMessage('{"type":"result","id":1,"ok":"yes"}')).toThrow(/ok must be a boolean/);
  });

  it('reports the call id when only the body of a call is malformed', () => {
    try {
      decodeClientMessage('{"type":"call","id":9,"method":"run","args":"nope"}');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CallProtocolError);
      expect((err as CallProtocolError).id).toBe(9);
      expect((err as Error).message).toBe('call args must be an array');
    }
    expect(() => decodeClientMessage('{"type":"call","id":9,"method":"x","args":[{"$t":"bytes","v":"@@@@"}]}')).toThrow(
      CallProtocolError,
    );
  });

  it('refuses absurd nesting and unknown tags', () => {
    const deep = '['.repeat(200) + ']'.repeat(200);
    expect(() => decodeClientMessage(`{"type":"call","id":1,"method":"x","args":${deep}}`)).toThrow(/nested too deeply/);
    expect(() => decodeServerMessage('{"type":"result","id":1,"ok":true,"value":{"$t":"date","v":1}}')).toThrow(
      /unknown value tag/,
    );
  });

  it('does not let a "__proto__" key change an object prototype', () => {
    const decoded = decodeClientMessage('{"type":"call","id":1,"method":"x","args":[{"__proto__":{"polluted":true}}]}');
    const arg = decoded.args[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(arg)).toBe(Object.prototype);
    expect(arg.polluted).toBeUndefined();
  });
});
