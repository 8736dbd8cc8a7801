// The simulated board's WebREPL server on the wire: the recordings from a
// real board's server are replayed byte for byte over a raw TCP socket, and
// a client that talks like the official webrepl_cli.py (unmasked frames,
// split request header) moves files through it with python3.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteCollector } from '../../../testing/byte-collector.js';
import { loadVector, type VectorStep } from '../../../testing/vectors.js';
import { drainSpares } from '../worker-pool.js';
import { serveSimWebRepl, type SimWebRepl } from './serve-sim.js';
import { FrameParser, OPCODE_BINARY, OPCODE_CLOSE, OPCODE_TEXT, encodeFrame } from './ws-frames.js';

interface WireStep extends VectorStep {
  frame?: 'http' | 'text' | 'binary' | 'close' | 'tcp-close';
  wire_hex?: string;
}

const OPCODES = { text: OPCODE_TEXT, binary: OPCODE_BINARY, close: OPCODE_CLOSE } as const;
const COMPAT_CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'cli_compat_client.py');

let root: string;
let sim: SimWebRepl;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-webrepl-srv-'));
  // The recordings' password.
  sim = await serveSimWebRepl({ filesDir: path.join(root, 'board'), password: 'secret', port: 0 });
});

afterAll(async () => {
  await sim?.close();
  await drainSpares();
  fs.rmSync(root, { recursive: true, force: true });
});

function steps(name: string): WireStep[] {
  return loadVector(name).steps as WireStep[];
}

/** A raw TCP client: what the recordings' client did, byte for byte. */
async function rawClient(): Promise<{ socket: net.Socket; rx: ByteCollector; ended: Promise<void> }> {
  const socket = net.connect(sim.port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const rx = new ByteCollector({
    onData: (l) => {
      socket.on('data', l);
      return () => socket.off('data', l);
    },
  });
  const ended = new Promise<void>((r) => socket.once('close', () => r()));
  return { socket, rx, ended };
}

/** Plays the host's steps and checks every server frame against the recording's wire bytes. */
async function replay(name: string): Promise<void> {
  // A recording starts with a free board, as when it was made.
  await sim.whenFree();
  const { socket, rx, ended } = await rawClient();
  let at = 0;
  try {
    for (const s of steps(name)) {
      if (s.dir === 'host->board') {
        if (s.frame === 'tcp-close') break;
        socket.write(Buffer.from(s.frame === 'http' ? s.hex : s.wire_hex!, 'hex'));
        continue;
      }
      if (s.frame === 'tcp-close') {
        await ended;
        expect(rx.bytes().length).toBe(at);
        continue;
      }
      const want = Buffer.from(s.frame === 'http' ? s.hex : s.wire_hex!, 'hex');
      const got = await rx.waitFor((b) => b.length >= at + want.length, 5000, `for ${s.text}`);
      expect(got.subarray(at, at + want.length).toString('latin1')).toBe(want.toString('latin1'));
      at += want.length;
    }
  } finally {
    socket.destroy();
    rx.dispose();
  }
}

describe('WebSocket frames as a board writes and reads them', () => {
  it('encodes every recorded server frame byte for byte and decodes every (masked) client frame', () => {
    let checked = 0;
    for (const name of ['webrepl-login-ok', 'webrepl-login-bad', 'webrepl-put-get', 'webrepl-raw-exec', 'webrepl-get-missing']) {
      for (const s of steps(name)) {
        if (!s.wire_hex || !s.frame || !(s.frame in OPCODES)) continue;
        const opcode = OPCODES[s.frame as keyof typeof OPCODES];
        const payload = Buffer.from(s.hex, 'hex');
        if (s.dir === 'board->host') expect(encodeFrame(opcode, payload).toString('hex')).toBe(s.wire_hex);
        else {
          const [f] = new FrameParser(65536).push(Buffer.from(s.wire_hex, 'hex'));
          expect(f.opcode).toBe(opcode);
          expect(f.payload).toEqual(payload);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('refuses a frame of 64 KiB, as a board does', () => {
    const big = Buffer.alloc(4 + 65536);
    big[0] = 0x82;
    big[1] = 127;
    big.writeBigUInt64BE(65536n, 2);
    expect(() => new FrameParser(65536).push(big)).toThrow(/too large/);
  });
});

describe('the simulated WebREPL server replays the real recordings', () => {
  it('login: the same 101 response, prompt, welcome and close reply as the board', async () => {
    // Up to the REPL traffic, which comes from a different interpreter (1.27 vs 1.29, unix port).
    const { socket, rx } = await rawClient();
    const s = steps('webrepl-login-ok');
    try {
      socket.write(Buffer.from(s[0].hex, 'hex'));
      const http = Buffer.from(s[1].hex, 'hex');
      const prompt = Buffer.from(s[2].wire_hex!, 'hex');
      await rx.waitFor((b) => b.length >= http.length + prompt.length, 5000, 'for the handshake and prompt');
      expect(rx.bytes()).toEqual(Buffer.concat([http, prompt]));
      rx.clear();
      socket.write(Buffer.from(s[3].wire_hex!, 'hex'));
      const welcome = Buffer.from(s[4].wire_hex!, 'hex');
      expect(await rx.waitFor((b) => b.length >= welcome.length, 5000, 'for the welcome')).toEqual(welcome);
      rx.clear();
      socket.write(Buffer.from('888237fa213d3412', 'hex'));
      expect(await rx.waitFor((b) => b.length >= 2, 5000, 'for the close reply')).toEqual(Buffer.from('8800', 'hex'));
    } finally {
      socket.destroy();
      rx.dispose();
    }
  });

  it('a wrong password: "Access denied" and a TCP close without a close frame', () => replay('webrepl-login-bad'));

  it('GET of a missing file: no status, a stray "\\r\\n" and a TCP close', () => replay('webrepl-get-missing'));

  it('a second client is handshaken and closed at once, with no prompt', async () => {
    // The previous test's session ends only once the board has closed its file.
    await sim.whenFree();
    const first = await rawClient();
    const second = await rawClient();
    try {
      const hello = Buffer.from(steps('webrepl-login-ok')[0].hex, 'hex');
      first.socket.write(hello);
      await first.rx.waitForText('Password: ');
      second.socket.write(hello);
      await second.ended;
      expect(second.rx.bytes().toString('latin1')).toBe(Buffer.from(steps('webrepl-login-ok')[1].hex, 'hex').toString('latin1'));
    } finally {
      first.socket.destroy();
      second.socket.destroy();
      first.rx.dispose();
      second.rx.dispose();
    }
  });
});

describe('a webrepl_cli.py-style client (python3)', () => {
  function py(...args: string[]): Promise<{ code: number; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('python3', [COMPAT_CLIENT, '127.0.0.1', String(sim.port), 'secret', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code: code ?? -1, out }));
    });
  }

  it('reads the version, puts a file in 1 KiB unmasked frames and gets it back', async () => {
    expect((await py('ver')).out.trim()).toBe('1.27.0');
    const local = path.join(root, 'upload.bin');
    const data = Buffer.alloc(5000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 13) & 0xff;
    fs.writeFileSync(local, data);
    const put = await py('put', local, 'from_cli.bin');
    expect(put).toEqual({ code: 0, out: 'put 5000\n' });
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(fs.readFileSync(path.join(root, 'board', 'from_cli.bin')))).toBe(sha(data));
    const back = path.join(root, 'back.bin');
    expect((await py('get', 'from_cli.bin', back)).code).toBe(0);
    expect(sha(fs.readFileSync(back))).toBe(sha(data));
  });
});
