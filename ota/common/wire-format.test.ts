// The wire formats a MicroPython agent must produce and parse byte for byte.

import { describe, expect, it } from 'vitest';
import { decodeReply, decodeRequest, encodeReply, encodeRequest, BlockFlag, REQUEST_LENGTH } from './block-codec.js';
import { incompatibility } from './compat.js';
import { manifestHmac } from './manifest-hmac.js';
import { decodeManifest, encodeManifest, type Manifest } from './manifest.js';
import { parseDesired, parseStatus } from './messages.js';
import { FleetTopics } from './topics.js';

const sha = (c: string) => c.repeat(64);
const m: Manifest = {
  seq: 7, app: 'blink', port: 'esp32', mpy: '1.20',
  files: [{ path: 'main.py', size: 12, sha256: sha('b') }, { path: 'lib/a.py', size: 0, sha256: sha('a') }],
};

describe('manifest', () => {
  it('has one canonical text, files sorted by path, that round-trips', () => {
    const text = encodeManifest(m);
    expect(text).toBe(`MOTE-OTA/1\nseq 7\napp blink\nport esp32\nmpy 1.20\nfile ${sha('a')} 0 lib/a.py\nfile ${sha('b')} 12 main.py\n`);
    expect(encodeManifest(decodeManifest(text))).toBe(text);
  });

  it('refuses anything the encoder would not write, saying what', () => {
    const text = encodeManifest(m);
    expect(() => decodeManifest(text.replace('seq 7', 'seq 07'))).toThrow(/seq/);
    expect(() => decodeManifest(text.slice(0, -1))).toThrow(/newline/);
    expect(() => decodeManifest(text.replace('lib/a.py', 'lib/../a.py'))).toThrow(/segment/);
    expect(() => decodeManifest(text + `file ${sha('c')} 1 lib/a.py\n`)).toThrow(/sorted or duplicated/);
    expect(() => encodeManifest({ ...m, files: [{ path: 'my file.py', size: 1, sha256: sha('c') }] })).toThrow(/no spaces/);
  });
});

describe('blocks', () => {
  it('requests are 40 bytes and replies carry a 14-byte header', () => {
    const req = encodeRequest({ sha256: Buffer.alloc(32, 0xab), offset: 4096, blockSize: 2048, count: 4 });
    expect(req.length).toBe(REQUEST_LENGTH);
    expect(req.toString('hex')).toBe('01' + 'ab'.repeat(32) + '00001000' + '0800' + '04');
    expect(decodeRequest(req)).toMatchObject({ offset: 4096, blockSize: 2048, count: 4 });
    const reply = encodeReply({ flag: BlockFlag.Data, tag: Buffer.alloc(8, 0xab), offset: 4096, data: Buffer.from('xyz') });
    expect(reply.toString('hex')).toBe('0100' + 'ab'.repeat(8) + '00001000' + Buffer.from('xyz').toString('hex'));
    expect(Buffer.from(decodeReply(reply).data).toString()).toBe('xyz');
  });

  it('rejects oversized blocks and too many at once', () => {
    expect(() => decodeRequest(encodeRequest({ sha256: Buffer.alloc(32), offset: 0, blockSize: 32768, count: 1 }))).toThrow(/block size/);
    expect(() => decodeRequest(encodeRequest({ sha256: Buffer.alloc(32), offset: 0, blockSize: 2048, count: 17 }))).toThrow(/count/);
  });
});

describe('messages and topics', () => {
  it('parse only well-formed control messages', () => {
    expect(parseDesired(Buffer.alloc(0))).toBeNull();
    expect(() => parseDesired(Buffer.from('{"seq":1}'))).toThrow(/needs/);
    expect(() => parseStatus(Buffer.from('{"seq":1,"st":"exploded"}'))).toThrow(/known st/);
    expect(parseStatus(Buffer.from('{"seq":3,"st":"downloading","p":250}')).p).toBe(100);
  });

  it('desired `m` is HMAC-SHA256 of the manifest bytes under the device key, 64 lower-case hex digits', () => {
    const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
    const text = `MOTE-OTA/1\nseq 12\napp blink\nport esp8266\nmpy 1.20\nfile ${'2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'} 3 lib/a.py\n`;
    // Pinned with openssl dgst -sha256 -mac HMAC -macopt hexkey:0001..1f over the same text.
    const m = '8c02f49459cab3120fcf5b68fbc9e9dfa2fbed4643972addc78eaf39a3309abd';
    expect(manifestHmac(key, text)).toBe(m);
    const desired = `{"seq":12,"h":"${sha('a')}","n":${text.length},"s":"c2ln","j":0,"m":"${m}"}`;
    expect(parseDesired(Buffer.from(desired))?.m).toBe(m);
    expect(parseDesired(Buffer.from(desired.replace(/,"m":"[0-9a-f]+"/, '')))?.m).toBeUndefined();
    expect(() => parseDesired(Buffer.from(desired.replace(m, m.toUpperCase())))).toThrow(/m must be 64 hex/);
    expect(() => manifestHmac(key.subarray(1), text)).toThrow(/32 bytes/);
  });

  it('keeps device ids to one topic level', () => {
    const t = new FleetTopics('mote/fleet');
    expect(t.device('esp-1', 'desired')).toBe('mote/fleet/dev/esp-1/desired');
    expect(t.parse('mote/fleet/dev/esp-1/get')).toEqual({ id: 'esp-1', leaf: 'get' });
    expect(t.parse('mote/fleet/dev/a/b/get')).toBeNull();
    expect(() => new FleetTopics('mote/#')).toThrow(/prefix/);
  });

  it('checks port and MicroPython version', () => {
    expect(incompatibility(m, 'esp32', '1.22.0')).toBeNull();
    expect(incompatibility(m, 'rp2', '1.22.0')).toMatch(/port esp32/);
    expect(incompatibility(m, 'esp32', '1.19.1')).toMatch(/needs MicroPython 1.20/);
  });
});
