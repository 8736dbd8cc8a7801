// A Link over MicroPython's WebREPL (a WebSocket, usually ws://BOARD:8266):
// password login, REPL bytes in text frames, files in binary frames (see
// ../common/webrepl/). Board output is not always valid UTF-8, so text frames
// are taken as bytes, never validated.
//
// Login failures are told apart, because each needs a different fix:
// - wrong password: the board says "Access denied" and closes;
// - refused: the board completed the handshake and closed at once without a
//   password prompt, which is what it does while another client is connected;
// - unreachable: nothing listens there (or no route, or the name does not resolve);
// - timeout: something answered but never finished the login.

import WebSocket from 'ws';
import type { Link } from '../common/link.js';
import type { BinaryPort } from '../common/webrepl/file-client.js';
import type { BlockPaced, FileTransportLink } from '../common/webrepl/link-traits.js';
import { WebReplFiles } from '../common/webrepl/webrepl-files.js';
import { Listeners } from '../common/listeners.js';

export type WebReplErrorCode = 'bad-password' | 'refused' | 'unreachable' | 'timeout' | 'protocol' | 'bad-address';

export class WebReplError extends Error {
  constructor(
    message: string,
    readonly code: WebReplErrorCode,
  ) {
    super(message);
    this.name = 'WebReplError';
  }
}

export interface WebReplLinkOptions {
  /** ws://HOST:PORT, or just HOST or HOST:PORT (port 8266 by default). */
  url: string;
  password: string;
  /** Connect plus login (default 10 s). */
  timeoutMs?: number;
  /**
   * When nothing arrived for this long, send a ping frame (default 10 s; 0
   * turns it off). Boards ignore pings, but the packet keeps Wi-Fi NAT and
   * power saving from dropping an idle session, and a board that rebooted
   * answers it with a reset, so a dead session is noticed at once.
   */
  keepAliveMs?: number;
  /** REPL input bytes the board can take at once (ESP boards: a 256-byte ring). */
  inputBlockBytes?: number;
}

export const WEBREPL_PORT = 8266;
/** Frames of 64 KiB or more make the board close the connection. */
const MAX_TEXT_FRAME = 16 * 1024;
const LOGIN_PROMPT = 'Password: ';
const WELCOME = 'WebREPL connected';
const DENIED = 'Access denied';

/** A WebREPL address in canonical form, or a clear error. */
export function webReplUrl(address: string): string {
  const raw = address.trim();
  if (!raw) throw new WebReplError('give the board address, e.g. ws://192.168.4.1:8266', 'bad-address');
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `ws://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new WebReplError(`${JSON.stringify(address)} is not a WebREPL address; use ws://HOST:8266`, 'bad-address');
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    throw new WebReplError(`a WebREPL address starts with ws:// (not ${u.protocol}//)`, 'bad-address');
  }
  if (!u.hostname) throw new WebReplError(`${JSON.stringify(address)} has no host name`, 'bad-address');
  return `${u.protocol}//${u.port ? u.host : `${u.host}:${WEBREPL_PORT}`}${u.pathname}`;
}

/** Board passwords are 4 to 9 characters (webrepl_setup refuses others); only control characters are refused here. */
export function checkPassword(password: string): void {
  if (!password) throw new WebReplError('the WebREPL password is empty', 'bad-password');
  if (/[\r\n\0]/.test(password)) throw new WebReplError('the WebREPL password cannot contain line breaks', 'bad-password');
}

function describeSocketError(url: string, e: NodeJS.ErrnoException): WebReplError {
  const where = new URL(url).host;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new WebReplError(
        `nothing accepts connections at ${where}: is WebREPL started on the board (import webrepl; webrepl.start()), and is this its address and port?`,
        'unreachable',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new WebReplError(`cannot find ${new URL(url).hostname} on the network (name not resolved)`, 'unreachable');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new WebReplError(`no route to ${where}: is the board on the same Wi-Fi network as this computer?`, 'unreachable');
    case 'ETIMEDOUT':
      return new WebReplError(`${where} did not answer (TCP timeout): is the board powered and on the network?`, 'unreachable');
    case 'ECONNRESET':
      return new WebReplError(`${where} closed the connection during the handshake: the board may be busy or resetting`, 'refused');
    default:
      return new WebReplError(`cannot connect to ${where}: ${e.message}`, 'protocol');
  }
}

export class WebReplLink implements Link, BlockPaced, FileTransportLink {
  readonly inputBlockBytes: number;
  readonly files: WebReplFiles;
  private readonly textListeners = new Listeners<[Uint8Array]>();
  private readonly binaryListeners = new Listeners<[Uint8Array]>();
  private readonly closeListeners = new Listeners<[Error | null]>();
  private closeError: Error | null = null;
  private closing = false;
  private closed = false;
  private lastRx = Date.now();
  private keepAlive: NodeJS.Timeout | null = null;
  /** The binary half, for the file protocol. */
  readonly binary: BinaryPort;

  private constructor(
    private readonly ws: WebSocket,
    readonly name: string,
    opts: WebReplLinkOptions,
  ) {
    this.inputBlockBytes = opts.inputBlockBytes ?? 255;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.lastRx = Date.now();
      (isBinary ? this.binaryListeners : this.textListeners).emit(data);
    });
    ws.on('pong', () => (this.lastRx = Date.now()));
    ws.on('close', () => this.finish());
    ws.on('error', (e) => (this.closeError ??= e));
    const every = opts.keepAliveMs ?? 10000;
    if (every > 0) {
      this.keepAlive = setInterval(() => {
        if (Date.now() - this.lastRx >= every && ws.readyState === WebSocket.OPEN) ws.ping();
      }, every);
      this.keepAlive.unref();
    }
    const link = this;
    this.binary = {
      name: `${name} (files)`,
      get isOpen() {
        return ws.readyState === WebSocket.OPEN;
      },
      write: (d) => this.send(d, true),
      onData: (l) => this.binaryListeners.add(l),
      onClose: (l) => this.closeListeners.add(l),
      close: () => link.close(),
      drop(reason) {
        link.closeError = reason;
        ws.terminate();
      },
    };
    this.files = new WebReplFiles(this.binary);
  }

  /** Connects and logs in; rejects with a WebReplError that says which of the failures it was. */
  static open(opts: WebReplLinkOptions): Promise<WebReplLink> {
    const url = webReplUrl(opts.url);
    checkPassword(opts.password);
    const timeoutMs = opts.timeoutMs ?? 10000;
    const where = new URL(url).host;
    const ws = new WebSocket(url, { skipUTF8Validation: true, perMessageDeflate: false, handshakeTimeout: timeoutMs });
    return new Promise((resolve, reject) => {
      let stage: 'connecting' | 'prompt' | 'login' | 'done' = 'connecting';
      let text = '';
      const finish = (e: WebReplError | null) => {
        if (stage === 'done') return;
        stage = 'done';
        clearTimeout(timer);
        ws.off('message', onMessage);
        if (!e) return resolve(new WebReplLink(ws, url, opts));
        ws.terminate();
        reject(e);
      };
      const timer = setTimeout(() => {
        const what =
          stage === 'connecting' ? 'the WebSocket handshake' : stage === 'prompt' ? 'the password prompt' : 'the answer to the password';
        finish(new WebReplError(`${where} did not complete ${what} within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`, 'timeout'));
      }, timeoutMs);
      ws.on('upgrade', (res) => {
        if (opts.keepAliveMs !== 0) res.socket.setKeepAlive(true, opts.keepAliveMs ?? 10000);
        res.socket.setNoDelay(true);
      });
      ws.once('open', () => (stage = 'prompt'));
      const onMessage = (data: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        text += data.toString('latin1');
        if (stage === 'prompt' && text.endsWith(LOGIN_PROMPT)) {
          stage = 'login';
          text = '';
          ws.send(Buffer.from(`${opts.password}\r`, 'utf8'), { binary: false });
        } else if (stage === 'login' && text.includes(WELCOME)) finish(null);
        else if (stage === 'login' && text.includes(DENIED)) {
          finish(new WebReplError(`${where} refused the password (Access denied)`, 'bad-password'));
        }
      };
      ws.on('message', onMessage);
      ws.on('error', (e: NodeJS.ErrnoException) => {
        if (/Unexpected server response/.test(e.message)) {
          finish(new WebReplError(`${where} is not a WebREPL server (${e.message})`, 'protocol'));
        } else finish(describeSocketError(url, e));
      });
      ws.on('close', () => {
        if (stage === 'prompt') {
          finish(
            new WebReplError(
              `${where} accepted the connection and closed it at once: another WebREPL client is connected ` +
                '(a board allows one at a time: close the other browser tab or tool)',
              'refused',
            ),
          );
        } else if (stage === 'login') {
          finish(new WebReplError(`${where} closed the connection after the password was sent`, 'bad-password'));
        } else finish(new WebReplError(`${where} closed the connection during the WebSocket handshake`, 'refused'));
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    return this.send(data, false);
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.textListeners.add(listener);
  }

  onClose(listener: (error: Error | null) => void): () => void {
    return this.closeListeners.add(listener);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a close frame. A board answers it but keeps TCP open for seconds,
   * so the socket is ended shortly after rather than waited for.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    const done = new Promise<void>((r) => this.onClose(() => r()));
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    const t = setTimeout(() => this.ws.terminate(), 300);
    await done;
    clearTimeout(t);
  }

  private send(data: Uint8Array, binary: boolean): Promise<void> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error(`${this.name} is closed`));
    const parts: Uint8Array[] = [];
    for (let i = 0; i < data.length; i += MAX_TEXT_FRAME) parts.push(data.subarray(i, i + MAX_TEXT_FRAME));
    return Promise.all(
      parts.map((p) => new Promise<void>((resolve, reject) => this.ws.send(p, { binary }, (e) => (e ? reject(e) : resolve())))),
    ).then(() => undefined);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.keepAlive) clearInterval(this.keepAlive);
    const e = this.closing && !this.closeError ? null : (this.closeError ?? new Error(`${this.name}: the board closed the WebREPL connection (did it reset?)`));
    this.closeListeners.emit(e);
  }
}
