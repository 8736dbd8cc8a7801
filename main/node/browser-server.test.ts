// Browser-mode transport: real HTTP, real `ws` clients, a fake back end (a test
// double of MoteBackend, so only the transport is under test here).

import { once } from 'node:events';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BoardStatus, EventSink, MoteBackend, PinSnapshot, ProjectInfo } from '../common/api.js';
import { decodeServerMessage, encodeMessage, type ServerMessage } from '../common/ws-protocol.js';
import { WsApiClient, type ApiConnectionState, type WebSocketLike } from '../../renderer/src/api/ws-client.js';
import { startBrowserServer, type BrowserServer } from './browser-server.js';
import { DEFAULT_INPUTS, EMPTY_VIEW } from '../../runtime/sim/common/board-view.js';

const STATUS: BoardStatus = { boardName: 'Fake Pico', version: 'MicroPython v0', state: 'ready', connection: 'Fake' };

class FakeBackend implements MoteBackend {
  calls: Array<{ method: string; args: unknown[] }> = [];
  disposed = false;
  emit: EventSink;

  constructor(emit: EventSink) {
    this.emit = emit;
  }
  #record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
  }
  async getProject(): Promise<ProjectInfo> {
    this.#record('getProject', []);
    return { root: '/tmp/project', files: ['main.py'] };
  }
  async readProjectFile(p: string): Promise<string> {
    this.#record('readProjectFile', [p]);
    return `contents of ${p}`;
  }
  async writeProjectFile(p: string, text: string): Promise<void> {
    this.#record('writeProjectFile', [p, text]);
  }
  async getBoardStatus(): Promise<BoardStatus> {
    this.#record('getBoardStatus', []);
    return STATUS;
  }
  async getTerminalHistory(): Promise<Uint8Array> {
    return new Uint8Array(0);
  }
  async getPins(): Promise<PinSnapshot> {
    return { ...EMPTY_VIEW, outputs: { 25: 1 }, buttonPressed: false, inputs: DEFAULT_INPUTS };
  }
  async terminalInput(data: string): Promise<void> {
    this.#record('terminalInput', [data]);
  }
  async run(source: string, file: string): Promise<never> {
    this.#record('run', [source, file]);
    throw new Error('the board is busy');
  }
  async stop(): Promise<void> {}
  async softReset(): Promise<void> {}
  async hardReset(): Promise<void> {}
  async upload(text: string, boardPath: string): Promise<void> {
    this.#record('upload', [text, boardPath]);
  }
  async listBoardFiles() {
    return [];
  }
  async readBoardFile(): Promise<string> {
    return '';
  }
  async deleteBoardFile(): Promise<void> {}
  async listTargets() {
    return [];
  }
  async connectTarget(): Promise<BoardStatus> {
    return STATUS;
  }
  async connectWebRepl(): Promise<BoardStatus> {
    return STATUS;
  }
  async webReplSetupPreview(): Promise<never> {
    throw new Error('not in this test');
  }
  async webReplSetupApply(): Promise<never> {
    throw new Error('not in this test');
  }
  async mkdirBoard(): Promise<void> {}
  async renameBoard(): Promise<void> {}
  async uploadProjectFile(): Promise<void> {}
  async downloadBoardFile(): Promise<void> {}
  async syncPreview() {
    return { upload: [], unchanged: [], delete: [] };
  }
  async syncApply() {
    return { upload: [], unchanged: [], delete: [] };
  }
  async cancelTransfer(): Promise<void> {}
  async setSimInput(): Promise<void> {}
  async listBoardProfiles(): Promise<never[]> {
    return [];
  }
  async getBoardProfile(): Promise<never> {
    throw new Error('no profiles here');
  }
  async setBoardProfile(): Promise<BoardStatus> {
    return STATUS;
  }
  async newProject(): Promise<never> {
    throw new Error('no projects here');
  }
  async listExamples(): Promise<never[]> {
    return [];
  }
  async readExample(): Promise<string> {
    return '';
  }
  async openExample(): Promise<never> {
    throw new Error('no examples here');
  }
  async fleetStatus(): Promise<never> {
    throw new Error('no fleet here');
  }
  fleetCreateRelease = this.fleetStatus;
  fleetStartRollout = this.fleetStatus;
  fleetRolloutAction = this.fleetStatus;
  fleetSimulate = this.fleetStatus;
  fleetStopSimulation = this.fleetStatus;
  fleetProvision = this.fleetStatus;
  fleetBrokerSettings = this.fleetStatus;
  fleetTestBroker = this.fleetStatus;
  fleetSetBroker = this.fleetStatus;
  async packageSearch(): Promise<never> {
    throw new Error('no packages here');
  }
  packagesInstalled = this.packageSearch;
  packageInstall = this.packageSearch;
  packageInstallLock = this.packageSearch;
  packageRemove = this.packageSearch;
  packageCancel = this.packageSearch;
  flashFirmware = this.packageSearch;
  cancelFlash = this.packageSearch;
  flashCatalogue = this.packageSearch;
  async setButton(pressed: boolean): Promise<void> {
    this.#record('setButton', [pressed]);
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

let tmp: string;
let rendererDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'mote-browser-server-'));
  rendererDir = path.join(tmp, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Mote</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(rendererDir, 'assets', 'app.css'), 'body{}');
  await writeFile(path.join(tmp, 'secret.txt'), 'do not serve me');
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let server: BrowserServer;
let backend: FakeBackend;
const openSockets: WebSocket[] = [];

beforeEach(async () => {
  server = await startBrowserServer({
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    backendFactory: (emit) => (backend = new FakeBackend(emit)),
  });
});

afterEach(async () => {
  for (const ws of openSockets.splice(0)) ws.terminate();
  await server.close();
});

function origin(): string {
  return `http://127.0.0.1:${server.port}`;
}

/** A real `ws` client, connected with the right token and Origin unless overridden. */
async function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin: origin() });
  openSockets.push(ws);
  await once(ws, 'open');
  return ws;
}

/** Sends a raw upgrade request and returns the HTTP status the server answered with. */
function upgradeStatus(requestPath: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      path: requestPath,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        Host: `127.0.0.1:${server.port}`,
        Origin: origin(),
        ...headers,
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function get(requestPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: requestPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the next server message that matches. */
function nextMessage(ws: WebSocket, match: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = decodeServerMessage(data.toString());
      if (!match(message)) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
  });
}

async function call(ws: WebSocket, id: number, method: string, args: unknown[]): Promise<ServerMessage> {
  const reply = nextMessage(ws, (m) => m.type === 'result' && m.id === id);
  ws.send(encodeMessage({ type: 'call', id, method, args }));
  return reply;
}

describe('who may connect', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('accepts the right token, Origin and Host', async () => {
    expect(await upgradeStatus(`/api?token=${server.token}`, {})).toBe(101);
    expect(await upgradeStatus(`/api?token=${server.token}`, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` })).toBe(101);
  });

  it('requires the token', async () => {
    expect(await upgradeStatus('/api', {})).toBe(403);
    expect(await upgradeStatus('/api?token=', {})).toBe(403);
  });

  it('refuses a wrong token with 403, through a real ws client too', async () => {
    expect(await upgradeStatus(`/api?token=${server.token}x`, {})).toBe(403);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=wrong`, { origin: origin() });
    const [req, res] = (await once(ws, 'unexpected-response')) as [http.ClientRequest, http.IncomingMessage];
    expect(res.statusCode).toBe(403);
    // With an 'unexpected-response' listener, ws leaves aborting the handshake to us.
    req.destroy();
  });

  it('refuses a foreign or missing Origin', async () => {
    const withToken = `/api?token=${server.token}`;
    expect(await upgradeStatus(withToken, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(withToken, { Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await upgradeStatus(withToken, { Origin: 'null' })).toBe(403);
    // Origin for the other loopback spelling than the Host header used.
    expect(await upgradeStatus(withToken, { Origin: `http://localhost:${server.port}` })).toBe(403);
    expect(await upgradeStatus(withToken, { Origin: '' })).toBe(403);
  });

  it('refuses a non-loopback Host (DNS rebinding), for the socket and for files', async () => {
    const rebound = { Host: `attacker.example:${server.port}`, Origin: `http://attacker.example:${server.port}` };
    expect(await upgradeStatus(`/api?token=${server.token}`, rebound)).toBe(403);
    expect(await upgradeStatus(`/api?token=${server.token}`, { Host: `127.0.0.1:${server.port + 1}` })).toBe(403);
    expect((await get('/', { Host: `attacker.example:${server.port}` })).status).toBe(403);
  });

  it('answers 404 for WebSocket paths other than /api', async () => {
    expect(await upgradeStatus(`/other?token=${server.token}`, {})).toBe(404);
  });
});

describe('calls', () => {
  it('passes valid calls to the back end and returns the value', async () => {
    const ws = await connect();
    expect(await call(ws, 1, 'readProjectFile', ['main.py'])).toEqual({
      type: 'result',
      id: 1,
      ok: true,
      value: 'contents of main.py',
    });
    expect(await call(ws, 2, 'setButton', [true])).toEqual({ type: 'result', id: 2, ok: true, value: undefined });
    expect(backend.calls).toEqual([
      { method: 'readProjectFile', args: ['main.py'] },
      { method: 'setButton', args: [true] },
    ]);
  });

  it("rejects invalid arguments with the validator's message, before the back end", async () => {
    const ws = await connect();
    expect(await call(ws, 1, 'readProjectFile', ['../../etc/passwd'])).toEqual({
      type: 'result',
      id: 1,
      ok: false,
      error: "path must not contain '..'",
    });
    expect(await call(ws, 2, 'setButton', ['yes'])).toMatchObject({ ok: false, error: 'pressed must be a boolean' });
    expect(await call(ws, 3, 'getProject', [1])).toMatchObject({ ok: false, error: 'expected 0 argument(s), got 1' });
    expect(await call(ws, 4, 'terminalInput', [new Uint8Array([1])])).toMatchObject({ ok: false, error: 'data must be a string' });
    expect(backend.calls).toEqual([]);
  });

  it('rejects methods that are not in the contract', async () => {
    const ws = await connect();
    for (const [id, method] of ['dispose', 'constructor', '__proto__', 'on', 'toString'].entries()) {
      expect(await call(ws, id, method, [])).toMatchObject({ ok: false, error: `unknown method ${method}` });
    }
    expect(backend.disposed).toBe(false);
    expect(backend.calls).toEqual([]);
  });

  it('returns back-end failures as messages', async () => {
    const ws = await connect();
    expect(await call(ws, 7, 'run', ['print(1)', 'main.py'])).toEqual({ type: 'result', id: 7, ok: false, error: 'the board is busy' });
  });

  it('answers a malformed call that has an id, and closes on a frame without one', async () => {
    const ws = await connect();
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ type: 'call', id: 5, method: 'getProject', args: 'x' }));
    expect(await reply).toEqual({ type: 'result', id: 5, ok: false, error: 'call args must be an array' });
    ws.send('{"nonsense":true}');
    const [code] = (await once(ws, 'close')) as [number, Buffer];
    expect(code).toBe(1002);
  });
});

describe('events', () => {
  it('fans Uint8Array payloads out to every client byte-exact', async () => {
    const a = await connect();
    const b = await connect();
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
    const got = Promise.all([a, b].map((ws) => nextMessage(ws, (m) => m.type === 'event')));
    backend.emit('terminalData', bytes);
    for (const message of await got) {
      expect(message.type).toBe('event');
      if (message.type !== 'event') continue;
      expect(message.event).toBe('terminalData');
      expect(message.payload).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(message.payload as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});

describe('static files', () => {
  it('serves the renderer with MIME types and a strict CSP', async () => {
    const index = await get('/?token=abc');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>Mote</title>');
    const csp = index.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.headers['x-content-type-options']).toBe('nosniff');

    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('refuses to leave the renderer folder', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/assets/%00']) {
      const res = await get(attempt);
      expect(res.status, attempt).toBe(403);
      expect(res.body).not.toContain('do not serve me');
    }
  });

  it('only answers GET and HEAD', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/', method: 'POST' }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(res).toBe(405);
  });
});

describe('the renderer client against the real server', () => {
  function clientSocket(url: string): WebSocketLike {
    // What a browser does by itself: send the page's origin.
    return new WebSocket(url, { origin: origin() }) as unknown as WebSocketLike;
  }

  it('reconnects after a dropped connection and refreshes the board status', async () => {
    const sockets: WebSocket[] = [];
    const client = new WsApiClient({
      url: `ws://127.0.0.1:${server.port}/api?token=${server.token}`,
      initialRetryMs: 10,
      createSocket: (url) => {
        const ws = new WebSocket(url, { origin: origin() });
        sockets.push(ws);
        return ws as unknown as WebSocketLike;
      },
    });
    try {
      await client.api.getProject();
      const states: ApiConnectionState[] = [];
      const statuses: BoardStatus[] = [];
      client.api.on('boardStatus', (s) => statuses.push(s));
      const refreshed = new Promise<void>((resolve) =>
        client.api.on('boardStatus', (s) => {
          if (s.state === 'ready') resolve();
        }),
      );
      client.onStateChange((s) => states.push(s));
      sockets[0].terminate();
      await refreshed;
      expect(states).toEqual(['reconnecting', 'connected']);
      expect(statuses.map((s) => s.state)).toEqual(['disconnected', 'ready']);
      expect(sockets).toHaveLength(2);
      expect(await client.api.readProjectFile('after.py')).toBe('contents of after.py');
    } finally {
      client.dispose();
    }
  });

  it('makes calls, receives events and reports connection state', async () => {
    const client = new WsApiClient({ url: `ws://127.0.0.1:${server.port}/api?token=${server.token}`, createSocket: clientSocket });
    try {
      // Issued before the socket is open: queued, then sent.
      expect(await client.api.readProjectFile('boot.py')).toBe('contents of boot.py');
      expect(client.state).toBe('connected');
      await expect(client.api.readProjectFile('../x')).rejects.toThrow("path must not contain '..'");

      const received = new Promise<Uint8Array>((resolve) => client.api.on('terminalData', resolve));
      backend.emit('terminalData', new Uint8Array([0xe2, 0x9c, 0x93, 0x0d, 0x0a]));
      expect(Array.from(await received)).toEqual([0xe2, 0x9c, 0x93, 0x0d, 0x0a]);

      const statuses: BoardStatus[] = [];
      const states: ApiConnectionState[] = [];
      client.api.on('boardStatus', (s) => statuses.push(s));
      const reconnecting = new Promise<void>((resolve) =>
        client.onStateChange((s) => {
          states.push(s);
          if (s === 'reconnecting') resolve();
        }),
      );
      backend.emit('boardStatus', STATUS);
      await server.close();
      await reconnecting;
      expect(states).toEqual(['reconnecting']);
      expect(statuses.at(-1)).toMatchObject({ boardName: 'Fake Pico', state: 'disconnected' });
      expect(backend.disposed).toBe(true);
    } finally {
      client.dispose();
    }
    expect(client.state).toBe('closed');
    await expect(client.api.getProject()).rejects.toThrow('connection is closed');
  });
});
