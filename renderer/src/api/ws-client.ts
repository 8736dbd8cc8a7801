// Browser mode's MoteApi: calls and events over the WebSocket that
// main/node/browser-server.ts serves at /api. Calls made while disconnected
// wait and go out on reconnect; calls already sent when the connection drops
// are rejected, because the back end may or may not have run them.
// The connection state is observable, and a drop is also announced to the UI
// as a `boardStatus` event with state 'disconnected' (that the board is
// unreachable is what the status bar needs to show).

import type { BoardStatus, MoteApi, MoteMethod } from '../../../main/common/api.js';
import { EventListeners, createApiProxy } from '../../../main/common/api-proxy.js';
import { decodeServerMessage, encodeMessage, type ServerMessage } from '../../../main/common/ws-protocol.js';

export type ApiConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** The part of the DOM WebSocket used here, so tests can pass the `ws` package's client. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface WsApiClientOptions {
  /** e.g. ws://127.0.0.1:PORT/api?token=… */
  url: string;
  createSocket?: (url: string) => WebSocketLike;
  /** First reconnect delay; doubles per failed attempt up to maxRetryMs. */
  initialRetryMs?: number;
  maxRetryMs?: number;
}

interface PendingCall {
  method: MoteMethod;
  frame: string;
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const OPEN = 1;

export class WsApiClient {
  readonly api: MoteApi;
  readonly #options: Required<WsApiClientOptions>;
  readonly #events = new EventListeners();
  readonly #stateListeners = new Set<(state: ApiConnectionState) => void>();
  readonly #pending = new Map<number, PendingCall>();
  #socket: WebSocketLike | null = null;
  #state: ApiConnectionState = 'connecting';
  #nextId = 1;
  #failedAttempts = 0;
  #everConnected = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #lastStatus: BoardStatus | null = null;
  #announcedDisconnect = false;

  constructor(options: WsApiClientOptions) {
    this.#options = {
      createSocket: (url) => new WebSocket(url),
      initialRetryMs: 250,
      maxRetryMs: 5000,
      ...options,
    };
    this.api = createApiProxy(
      (method, args) => this.#call(method, args),
      (event, listener) => this.#events.on(event, listener),
    );
    this.api.on('boardStatus', (status) => {
      this.#lastStatus = status;
    });
    this.#connect();
  }

  get state(): ApiConnectionState {
    return this.#state;
  }

  /** Calls `listener` on every change of connection state; returns an unsubscribe function. */
  onStateChange(listener: (state: ApiConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => {
      this.#stateListeners.delete(listener);
    };
  }

  /** Closes the connection for good and rejects every call still waiting. */
  dispose(): void {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#socket?.close(1000, 'client closed');
    this.#socket = null;
    for (const [id, call] of this.#pending) {
      this.#pending.delete(id);
      call.reject(new Error(`${call.method} was cancelled: the Mote Studio connection was closed`));
    }
    this.#events.clear();
  }

  #call(method: MoteMethod, args: unknown[]): Promise<unknown> {
    if (this.#state === 'closed') {
      return Promise.reject(new Error(`${method} failed: the Mote Studio connection is closed`));
    }
    const id = this.#nextId++;
    let frame: string;
    try {
      frame = encodeMessage({ type: 'call', id, method, args });
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return new Promise((resolve, reject) => {
      const call: PendingCall = { method, frame, sent: false, resolve, reject };
      this.#pending.set(id, call);
      if (this.#socket?.readyState === OPEN) this.#send(call);
    });
  }

  #send(call: PendingCall): void {
    call.sent = true;
    this.#socket?.send(call.frame);
  }

  #connect(): void {
    this.#retryTimer = null;
    const socket = this.#options.createSocket(this.#options.url);
    this.#socket = socket;
    socket.addEventListener('open', () => this.#onOpen(socket));
    socket.addEventListener('message', (event) => this.#onMessage(event.data));
    socket.addEventListener('close', () => this.#onClose(socket));
    // 'error' is always followed by 'close', where recovery happens.
    socket.addEventListener('error', () => {});
  }

  #onOpen(socket: WebSocketLike): void {
    if (socket !== this.#socket) return;
    this.#everConnected = true;
    this.#failedAttempts = 0;
    this.#setState('connected');
    for (const call of this.#pending.values()) if (!call.sent) this.#send(call);
    if (this.#announcedDisconnect) {
      this.#announcedDisconnect = false;
      // Replace the synthetic 'disconnected' status with the board's real one,
      // which may have changed while we were away.
      this.api.getBoardStatus().then(
        (status) => this.#events.emit('boardStatus', status),
        () => {},
      );
    }
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') {
      console.warn('Mote: ignored a binary frame from the server');
      return;
    }
    let message: ServerMessage;
    try {
      message = decodeServerMessage(data);
    } catch (err) {
      console.warn(`Mote: ignored a malformed frame from the server: ${(err as Error).message}`);
      return;
    }
    if (message.type === 'event') {
      // decodeServerMessage checked the event name; the payload's shape is the server's contract.
      this.#events.emit(message.event, message.payload as never);
      return;
    }
    const call = this.#pending.get(message.id);
    if (!call) return;
    this.#pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(new Error(message.error));
  }

  #onClose(socket: WebSocketLike): void {
    if (socket !== this.#socket || this.#state === 'closed') return;
    this.#socket = null;
    for (const [id, call] of this.#pending) {
      if (!call.sent) continue;
      this.#pending.delete(id);
      call.reject(new Error(`${call.method} did not finish: the connection to Mote Studio was lost`));
    }
    if (this.#state === 'connected') {
      this.#announceDisconnected('Lost connection to Mote Studio, reconnecting…');
    } else if (!this.#everConnected && this.#failedAttempts === 0) {
      this.#announceDisconnected('Cannot reach Mote Studio: is it still running, and is this the address it printed?');
    }
    this.#setState(this.#everConnected ? 'reconnecting' : 'connecting');
    const delay = Math.min(this.#options.maxRetryMs, this.#options.initialRetryMs * 2 ** this.#failedAttempts);
    this.#failedAttempts++;
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #announceDisconnected(connection: string): void {
    this.#announcedDisconnect = true;
    this.#events.emit('boardStatus', {
      boardName: this.#lastStatus?.boardName ?? '',
      version: this.#lastStatus?.version ?? '',
      state: 'disconnected',
      connection,
    });
  }

  #setState(state: ApiConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) listener(state);
  }
}
