// The simulated board's WebREPL server, speaking what a board's webrepl
// module speaks (see ../shared/PROTOCOLS.md and the webrepl-* recordings):
// - the bare 101 handshake, then "Password: "; a wrong password gets
//   "\r\nAccess denied\r\n" and a TCP close, the right one
//   "\r\nWebREPL connected\r\n>>> ";
// - one client at a time: a second is handshaken and closed at once, and
//   the first sees "Concurrent WebREPL connection from ... rejected";
// - REPL bytes in text frames both ways, board output not necessarily UTF-8;
// - the binary file protocol (PUT, GET, GET_VER), carried out by the board's
//   own interpreter (board-file-ops.ts);
// - a reset of the board ends the session, as the board's sockets close;
// - pings are ignored and a close frame is answered with an empty one.
// Optionally it emulates a small input ring that drops what overflows
// (input-ring.ts), to prove a client's pacing.

import * as net from 'node:net';
import { MP_VERSION } from '../../common/board-profile.js';
import type { SimBoard } from '../sim-board.js';
import { BoardFileSession, READ_SLICE } from './board-file-ops.js';
import { InputRing } from './input-ring.js';
import {
  GET_CHUNK_BYTES,
  OP_GET,
  OP_GET_VER,
  OP_PUT,
  REQUEST_BYTES,
  decodeRequest,
  encodeChunk,
  encodeStatus,
  encodeVersion,
  type FileRequest,
  type Version,
} from '../../../common/webrepl/frames.js';
import {
  FrameParser,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_CONTINUATION,
  OPCODE_PING,
  OPCODE_TEXT,
  encodeFrame,
  parseUpgrade,
  upgradeResponse,
} from './ws-frames.js';

export interface WebReplServerOptions {
  board: SimBoard;
  password: string;
  /** Default 127.0.0.1: the simulator is for this machine only. */
  host?: string;
  /** Default 8266; 0 picks a free port. */
  port?: number;
  /** Emulate a REPL input ring of this many bytes (0: no limit, the default). */
  inputBuffer?: number;
  /** How fast the emulated board's REPL drains that ring (bytes per second, default 8000). */
  inputRate?: number;
}

export interface WebReplServerStats {
  /** Logins that succeeded. */
  sessions: number;
  /** Connections turned away because another client was connected. */
  refused: number;
  /** REPL input bytes lost to the emulated input ring. */
  droppedInput: number;
  pings: number;
}

export interface WebReplServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly stats: WebReplServerStats;
  /** Resolves once no client holds the board (a new client would get the password prompt). */
  whenFree(): Promise<void>;
  close(): Promise<void>;
}

export const WELCOME = '\r\nWebREPL connected\r\n>>> ';
/** Frames of 64 KiB or more close the connection on a board. */
const MAX_FRAME = 65536;
/** File bytes written per exec on the board: big enough to keep round trips rare. */
const PUT_EXEC_BYTES = 32 * 1024;
/** Slices of READ_SLICE bytes read from the board per exec during a GET (24 KB). */
const GET_READ_SLICES = 32;
/** A board keeps TCP open after answering a close frame; the client ends it. */
const LINGER_MS = 5000;

function simVersion(): Version {
  const [a, b, c] = MP_VERSION.split(/[.-]/).map((s) => Number(s) || 0);
  return [a, b, c];
}

/** Bytes of a PUT as they arrive, taken by the writer in as large pieces as are there. */
class ByteQueue {
  private parts: Buffer[] = [];
  private wake: (() => void) | null = null;
  private ended: Error | null = null;

  push(b: Buffer): void {
    this.parts.push(b);
    this.wake?.();
  }

  end(e: Error): void {
    this.ended = e;
    this.wake?.();
  }

  async take(max: number): Promise<Buffer> {
    while (!this.parts.length) {
      if (this.ended) throw this.ended;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
    const all = Buffer.concat(this.parts);
    this.parts = all.length > max ? [all.subarray(max)] : [];
    return all.subarray(0, max);
  }
}

export async function serveWebRepl(opts: WebReplServerOptions): Promise<WebReplServer> {
  const host = opts.host ?? '127.0.0.1';
  const board = opts.board;
  const stats: WebReplServerStats = { sessions: 0, refused: 0, droppedInput: 0, pings: 0 };
  const ring = opts.inputBuffer ? new InputRing(opts.inputBuffer, opts.inputRate ?? 8000, board) : null;
  let active: Client | null = null;
  let freeWaiters: Array<() => void> = [];
  /** The board lets go of a client only after its last file request has closed the file. */
  const release = (c: Client) => {
    if (active !== c) return;
    active = null;
    for (const w of freeWaiters.splice(0)) w();
  };
  const sockets = new Set<net.Socket>();

  class Client {
    private stage: 'http' | 'password' | 'repl' | 'closed' = 'http';
    private head = Buffer.alloc(0);
    private readonly parser = new FrameParser(MAX_FRAME);
    private dataOpcode = OPCODE_TEXT;
    private typed = '';
    private request = Buffer.alloc(0);
    private put: ByteQueue | null = null;
    /** During a GET: the client's requests for the next chunk (one byte each). */
    private get: ByteQueue | null = null;
    /** A file request holds the REPL: the board's output is not the client's, and typed bytes wait. */
    private busy = false;
    private held: Buffer[] = [];

    constructor(readonly socket: net.Socket) {
      socket.setNoDelay(true);
      socket.on('data', (d: Buffer) => this.onBytes(d));
      socket.on('close', () => this.gone());
      socket.on('error', () => undefined);
    }

    get closed(): boolean {
      return this.stage === 'closed';
    }

    get inRepl(): boolean {
      return this.stage === 'repl' && !this.busy;
    }

    sendText(b: Uint8Array): void {
      for (let i = 0; i < b.length; i += MAX_FRAME - 1) this.frame(OPCODE_TEXT, b.subarray(i, i + MAX_FRAME - 1));
    }

    /** Ends the TCP connection (after what was written), as a board's closing socket does. */
    end(): void {
      this.leave();
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    }

    private frame(opcode: number, payload: Uint8Array): void {
      if (!this.socket.destroyed) this.socket.write(encodeFrame(opcode, payload));
    }

    private leave(): void {
      if (this.stage === 'closed') return;
      this.stage = 'closed';
      this.put?.end(new Error('the client went away'));
      this.get?.end(new Error('the client went away'));
      // A file request still holds the REPL; the board frees the session once it has closed the file.
      if (!this.busy) release(this);
    }

    private gone(): void {
      this.leave();
      sockets.delete(this.socket);
    }

    private onBytes(d: Buffer): void {
      if (this.stage === 'http') {
        this.head = Buffer.concat([this.head, d]);
        const up = parseUpgrade(this.head);
        if (!up.complete) return;
        const rest = this.head.subarray(up.length);
        if (!up.key) {
          // webrepl.py serves a page that loads the browser client from its static host.
          this.socket.end('HTTP/1.0 200 OK\r\n\r\n<base href="https://micropython.org/webrepl/"></base>\r\n<script src="webrepl_content.js"></script>\r\n');
          this.stage = 'closed';
          return;
        }
        this.socket.write(upgradeResponse(up.key));
        if (active && active !== this) {
          stats.refused++;
          const who = `('${this.socket.remoteAddress?.replace(/^::ffff:/, '')}', ${this.socket.remotePort})`;
          if (active.inRepl) active.sendText(Buffer.from(`\r\nConcurrent WebREPL connection from ${who} rejected\r\n`));
          this.stage = 'closed';
          this.socket.end();
          return;
        }
        active = this;
        this.stage = 'password';
        this.sendText(Buffer.from('Password: '));
        if (!rest.length) return;
        d = rest;
      }
      if (this.closed) return;
      let frames;
      try {
        frames = this.parser.push(d);
      } catch {
        this.leave();
        this.socket.destroy();
        return;
      }
      for (const f of frames) {
        if (this.closed) return;
        if (f.opcode === OPCODE_PING || f.opcode === 0xa) {
          stats.pings++;
          continue;
        }
        if (f.opcode === OPCODE_CLOSE) {
          this.frame(OPCODE_CLOSE, Buffer.alloc(0));
          this.leave();
          setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
          return;
        }
        const opcode = f.opcode === OPCODE_CONTINUATION ? this.dataOpcode : f.opcode;
        this.dataOpcode = opcode;
        if (opcode === OPCODE_TEXT) this.onText(f.payload);
        else if (opcode === OPCODE_BINARY) this.onBinary(f.payload);
      }
    }

    private onText(b: Buffer): void {
      if (this.stage === 'password') {
        this.typed += b.toString('utf8');
        const end = this.typed.search(/[\r\n]/);
        if (end < 0) return;
        if (this.typed.slice(0, end) === opts.password) {
          this.stage = 'repl';
          stats.sessions++;
          this.sendText(Buffer.from(WELCOME));
        } else {
          this.sendText(Buffer.from('\r\nAccess denied\r\n'));
          this.leave();
          this.socket.end();
        }
        return;
      }
      if (this.busy) this.held.push(b);
      else toBoard(b);
    }

    private onBinary(b: Buffer): void {
      if (this.stage !== 'repl') return;
      if (this.put) return this.put.push(b);
      if (this.get) return this.get.push(b);
      this.request = Buffer.concat([this.request, b]);
      if (this.request.length < REQUEST_BYTES) return;
      const req = decodeRequest(this.request.subarray(0, REQUEST_BYTES));
      const rest = this.request.subarray(REQUEST_BYTES);
      this.request = Buffer.alloc(0);
      if (req.op === OP_GET_VER) return this.frame(OPCODE_BINARY, encodeVersion(simVersion()));
      const queue = new ByteQueue();
      if (rest.length) queue.push(rest);
      if (req.op === OP_PUT) this.put = queue;
      else this.get = queue;
      void this.fileRequest(req);
    }

    // The last reply of a request goes out only once the REPL is back as the
    // client left it: a board handles a request to its end before reading on,
    // and a client may send its next command the moment it has that reply.
    private async fileRequest(req: FileRequest): Promise<void> {
      this.busy = true;
      let session: BoardFileSession | null = null;
      let last: Buffer[] = [];
      try {
        session = await BoardFileSession.begin(board);
        last = req.op === OP_PUT ? await this.receive(session, req) : await this.send(session, req);
      } catch {
        // The board did not take the request (a program that never reads input): the session ends.
        this.end();
      } finally {
        this.put = null;
        this.get = null;
        await session?.end().catch(() => undefined);
        this.busy = false;
        if (this.closed) release(this);
        else {
          for (const b of this.held.splice(0)) toBoard(b);
          for (const f of last) this.frame(OPCODE_BINARY, f);
        }
      }
    }

    /** Returns the replies to send once the REPL is restored. */
    private async receive(session: BoardFileSession, req: FileRequest): Promise<Buffer[]> {
      try {
        await session.openForWrite(req.name);
      } catch {
        this.refuseFile();
        return [];
      }
      this.frame(OPCODE_BINARY, encodeStatus(0));
      let left = req.size;
      try {
        while (left > 0) {
          const piece = await this.put!.take(Math.min(left, PUT_EXEC_BYTES));
          await session.write(piece);
          left -= piece.length;
        }
      } finally {
        // A client gone mid-upload leaves what was written, as on a board.
        await session.closeWrite();
      }
      return [encodeStatus(0)];
    }

    // Each byte from the client asks for the next chunk of at most 256 bytes;
    // the file is read ahead in large slices so the board is asked rarely.
    private async send(session: BoardFileSession, req: FileRequest): Promise<Buffer[]> {
      try {
        await session.openForRead(req.name);
      } catch {
        this.refuseFile();
        return [];
      }
      this.frame(OPCODE_BINARY, encodeStatus(0));
      let ahead = Buffer.alloc(0);
      let eof = false;
      try {
        for (;;) {
          const asks = await this.get!.take(Infinity);
          for (let i = 0; i < asks.length; i++) {
            if (ahead.length < GET_CHUNK_BYTES && !eof) {
              const slice = await session.read(GET_READ_SLICES);
              eof = slice.length < GET_READ_SLICES * READ_SLICE;
              ahead = Buffer.concat([ahead, slice]);
            }
            const chunk = ahead.subarray(0, GET_CHUNK_BYTES);
            ahead = ahead.subarray(chunk.length);
            if (chunk.length === 0) return [encodeChunk(chunk), encodeStatus(0)];
            this.frame(OPCODE_BINARY, encodeChunk(chunk));
          }
        }
      } finally {
        await session.closeRead();
      }
    }

    /** What a board does when open() fails: the exception ends the session (see webrepl-get-missing). */
    private refuseFile(): void {
      this.sendText(Buffer.from('\r\n'));
      this.end();
    }
  }

  function toBoard(b: Buffer): void {
    if (ring) ring.push(b);
    else void board.write(b).catch(() => undefined);
  }

  const offData = board.onData((d) => {
    if (active?.inRepl) active.sendText(d);
  });
  const offState = board.onState((s) => {
    // The reset's last words ("MPY: soft reboot") are emitted right after this; then the socket closes.
    if (s === 'resetting' || s === 'closed') {
      const c = active;
      if (c) setImmediate(() => c.end());
    }
  });

  const server = net.createServer((socket) => {
    // A board that is rebooting has no server running yet.
    if (board.state !== 'ready') return void socket.destroy();
    sockets.add(socket);
    new Client(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8266, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    host,
    port,
    url: `ws://${host}:${port}/`,
    get stats() {
      return { ...stats, droppedInput: ring?.dropped ?? 0 };
    },
    whenFree() {
      return active ? new Promise<void>((r) => freeWaiters.push(r)) : Promise.resolve();
    },
    async close() {
      offData();
      offState();
      ring?.dispose();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
