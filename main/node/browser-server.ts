// Browser mode: serves the built renderer over HTTP on loopback and carries the
// API over a WebSocket at /api. Any web page the user visits can try to reach
// a local WebSocket that drives serial ports, so a connection must prove three
// things before it gets a back end:
//   - it knows the per-launch token (only the printed URL carries it);
//   - its Origin is this server's own origin (not some other site's page);
//   - its Host is 127.0.0.1:PORT or localhost:PORT (a DNS-rebinding page
//     reaches us under its own host name).

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { EventSink, MoteBackend, MoteEventName, MoteEvents } from '../common/api.js';
import { dispatchCall, errorMessage } from '../common/backend-dispatch.js';
import { contentSecurityPolicy } from '../common/csp.js';
import {
  CallProtocolError,
  MAX_FRAME_BYTES,
  ProtocolError,
  decodeClientMessage,
  encodeMessage,
  type ResultMessage,
} from '../common/ws-protocol.js';
import { resolveStaticFile } from './static-files.js';

export const API_PATH = '/api';

/** A back end the server may dispose of when it closes. */
export interface ServedBackend extends MoteBackend {
  dispose?(): Promise<void> | void;
}

export interface BrowserServerOptions {
  /** Called once; `emit` fans each event out to every connected client. */
  backendFactory: (emit: EventSink) => Promise<ServedBackend> | ServedBackend;
  /** The built renderer, e.g. `dist/renderer`. */
  rendererDir: string;
  /** Loopback only; the option exists to make that explicit at the call site. */
  host?: '127.0.0.1';
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface BrowserServer {
  /** `http://127.0.0.1:PORT/?token=…`: the only way in. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Closes every connection, stops listening, then disposes the back end. */
  close(): Promise<void>;
}

/** A client that does not read its events is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** How long close() lets clients finish the WebSocket closing handshake. */
const CLOSE_GRACE_MS = 1000;

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`browser mode listens on 127.0.0.1 only, not ${String(host)}`);
  const token = randomBytes(32).toString('base64url');
  const tokenDigest = sha256(token);

  // Filled in once listening; requests cannot arrive before that.
  let port = 0;
  let csp = '';

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const server = http.createServer((req, res) => {
    serveStatic(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendPlain(res, 500, 'internal error');
      else res.destroy();
      console.error(`Mote browser server: failed to serve a file: ${errorMessage(err)}`);
    });
  });

  function allowedHost(req: http.IncomingMessage): string | null {
    const value = req.headers.host?.toLowerCase();
    return value === `127.0.0.1:${port}` || value === `localhost:${port}` ? value : null;
  }

  function securityHeaders(): Record<string, string> {
    return {
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      // The page URL carries the token: never send it on in a Referer.
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    };
  }

  function sendPlain(res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(`${text}\n`);
  }

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHost(req)) return sendPlain(res, 403, 'forbidden: unexpected Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendPlain(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    // The raw path, not a URL-normalised one, so that '..' is refused rather than folded away.
    const rawPath = (req.url ?? '').split('?')[0];
    const found = await resolveStaticFile(options.rendererDir, rawPath);
    if (found.kind === 'forbidden') return sendPlain(res, 403, `forbidden: ${found.reason}`);
    if (found.kind === 'not-found') return sendPlain(res, 404, 'not found');
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': found.contentType,
      'Content-Length': String(found.size),
    });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(found.filePath), res);
  }

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer resetting mid-handshake must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const refusal = checkUpgrade(req);
    if (refusal) {
      refuseUpgrade(socket, refusal.status, refusal.reason);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  function checkUpgrade(req: http.IncomingMessage): { status: number; reason: string } | null {
    const hostHeader = allowedHost(req);
    if (!hostHeader) return { status: 403, reason: 'unexpected Host header' };
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    if (url.pathname !== API_PATH) return { status: 404, reason: 'not found' };
    if (req.headers.origin?.toLowerCase() !== `http://${hostHeader}`) {
      return { status: 403, reason: 'Origin is not this server' };
    }
    const offered = url.searchParams.get('token');
    if (offered === null || !timingSafeEqual(sha256(offered), tokenDigest)) {
      return { status: 403, reason: 'missing or wrong token' };
    }
    if (!backend) return { status: 503, reason: 'the back end is still starting' };
    return null;
  }

  const clients = new Set<WebSocket>();
  const emit: EventSink = <E extends MoteEventName>(event: E, payload: MoteEvents[E]) => {
    if (clients.size === 0) return;
    let frame: string;
    try {
      frame = encodeMessage({ type: 'event', event, payload });
    } catch (err) {
      console.error(`Mote browser server: dropped a "${event}" event: ${errorMessage(err)}`);
      return;
    }
    for (const ws of clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.terminate();
        continue;
      }
      ws.send(frame);
    }
  };

  // Listen first (a busy port should fail before a simulator is started), then
  // create the back end before anyone can learn the token.
  await listen(server, host, options.port ?? 0);
  port = (server.address() as AddressInfo).port;
  csp = contentSecurityPolicy({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });

  let backend: ServedBackend | null = null;
  try {
    backend = await options.backendFactory(emit);
  } catch (err) {
    await closeServer(server);
    throw err;
  }
  const servedBackend: ServedBackend = backend;

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(1003, 'binary frames are not part of the protocol');
        return;
      }
      void handleFrame(ws, rawDataToText(data));
    });
  });

  async function handleFrame(ws: WebSocket, text: string): Promise<void> {
    let id: number;
    let method: string;
    let args: unknown[];
    try {
      ({ id, method, args } = decodeClientMessage(text));
    } catch (err) {
      if (err instanceof CallProtocolError) return reply(ws, { type: 'result', id: err.id, ok: false, error: err.message });
      // Without an id the client cannot be answered: the stream is unusable.
      ws.close(1002, truncate(err instanceof ProtocolError ? err.message : 'malformed frame'));
      return;
    }
    const outcome = await dispatchCall(servedBackend, method, args);
    reply(ws, outcome.ok ? { type: 'result', id, ok: true, value: outcome.value } : { type: 'result', id, ok: false, error: outcome.error });
  }

  function reply(ws: WebSocket, message: ResultMessage): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    let frame: string;
    try {
      frame = encodeMessage(message);
    } catch (err) {
      const error = `the result could not be encoded: ${errorMessage(err)}`;
      frame = encodeMessage({ type: 'result', id: message.id, ok: false, error });
    }
    ws.send(frame);
  }

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= (async () => {
        await Promise.all([...clients].map((ws) => closeClient(ws)));
        wss.close();
        await closeServer(server);
        await servedBackend.dispose?.();
      })();
      return closing;
    },
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function rawDataToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** WebSocket close reasons are limited to 123 bytes. */
function truncate(reason: string): string {
  return reason.length > 120 ? `${reason.slice(0, 117)}...` : reason;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  const statusText = status === 403 ? 'Forbidden' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use`) : err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    // Resolves on "not running" errors too: closing is all that was asked.
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function closeClient(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1001, 'Mote Studio is shutting down');
  });
}
