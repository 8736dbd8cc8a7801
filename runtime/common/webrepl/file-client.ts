// The client side of WebREPL's binary file protocol: PUT, GET and GET_VER
// over binary frames, which the board treats as one byte stream (replies may
// arrive split or merged). The protocol has no cancel: once a PUT announced
// its size the board waits for every byte, and a GET waits for the next
// request, so cancelling drops the connection (the caller reconnects).

import { LinkClosedError, LinkReader } from '../link-reader.js';
import type { Link } from '../link.js';
import {
  GET_CHUNK_BYTES,
  OP_GET,
  OP_GET_VER,
  OP_PUT,
  STATUS_BYTES,
  chunkLength,
  decodeStatus,
  decodeVersion,
  encodeRequest,
  type Version,
} from './frames.js';

/** The binary half of a WebREPL connection, as a Link of its own (bytes in binary frames). */
export interface BinaryPort extends Link {
  readonly isOpen: boolean;
  /** Ends the connection at once: the only way to stop a transfer half way. */
  drop(reason: Error): void;
}

export interface FileClientOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** File bytes per binary frame (webrepl_cli.py sends 1 KiB; the board takes any size below 64 KiB). */
  frameBytes?: number;
  /** How long the board may take to answer a request (it opens a file on flash). */
  timeoutMs?: number;
}

export class WebReplStatusError extends Error {
  constructor(
    what: string,
    readonly status: number,
  ) {
    super(`${what}: the board answered WebREPL status ${status}`);
    this.name = 'WebReplStatusError';
  }
}

const DEFAULT_FRAME = 1024;
const DEFAULT_TIMEOUT_MS = 10000;

async function status(rx: LinkReader, timeoutMs: number, what: string): Promise<number> {
  return decodeStatus(await rx.readExactly(STATUS_BYTES, timeoutMs, what));
}

/** Runs one exchange with a fresh reader; turns an abort into a dropped connection. */
async function exchange<T>(port: BinaryPort, opts: FileClientOptions, what: string, fn: (rx: LinkReader) => Promise<T>): Promise<T> {
  opts.signal?.throwIfAborted();
  const rx = new LinkReader(port);
  const onAbort = () => {
    const reason = opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('cancelled');
    rx.fail(reason);
    port.drop(reason);
  };
  opts.signal?.addEventListener('abort', onAbort);
  try {
    return await fn(rx);
  } catch (e) {
    if (!(e instanceof LinkClosedError)) throw e;
    const closed = new LinkClosedError();
    closed.message = `the WebREPL connection closed during ${what}`;
    throw closed;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    rx.dispose();
  }
}

/** Writes `data` to `name` on the board (the board opens it with 'wb', so it is truncated first). */
export function putBytes(port: BinaryPort, name: string, data: Uint8Array, opts: FileClientOptions = {}): Promise<void> {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return exchange(port, opts, `the upload of ${name}`, async (rx) => {
    await port.write(encodeRequest({ op: OP_PUT, size: data.length, name }));
    const opened = await status(rx, timeout, `waiting for the board to open ${name}`);
    if (opened !== 0) throw new WebReplStatusError(`cannot write ${name}`, opened);
    const frame = opts.frameBytes ?? DEFAULT_FRAME;
    opts.onProgress?.(0, data.length);
    for (let i = 0; i < data.length; i += frame) {
      opts.signal?.throwIfAborted();
      await port.write(data.subarray(i, i + frame));
      opts.onProgress?.(Math.min(i + frame, data.length), data.length);
    }
    // The last bytes are still on their way to flash; allow for a slow one.
    const written = await status(rx, timeout + data.length / 10, `waiting for the board to finish writing ${name}`);
    if (written !== 0) throw new WebReplStatusError(`writing ${name} failed`, written);
  });
}

/**
 * Reads `name` from the board. A board whose open() fails sends no status:
 * it drops the connection (see the webrepl-get-missing recording), so
 * callers check the file exists first to give a clear error.
 */
export function getBytes(port: BinaryPort, name: string, opts: FileClientOptions = {}): Promise<Buffer> {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return exchange(port, opts, `the download of ${name}`, async (rx) => {
    await port.write(encodeRequest({ op: OP_GET, size: 0, name }));
    const opened = await status(rx, timeout, `waiting for the board to open ${name}`);
    if (opened !== 0) throw new WebReplStatusError(`cannot read ${name}`, opened);
    const parts: Buffer[] = [];
    let done = 0;
    for (;;) {
      opts.signal?.throwIfAborted();
      await port.write(Uint8Array.of(0));
      const n = chunkLength(await rx.readExactly(2, timeout, `waiting for data of ${name}`));
      if (n === 0) break;
      if (n > GET_CHUNK_BYTES * 256) throw new Error(`the board announced an impossible chunk of ${n} bytes`);
      const chunk = await rx.readExactly(n, timeout, `waiting for data of ${name}`);
      parts.push(Buffer.from(chunk));
      done += n;
      opts.onProgress?.(done, done);
    }
    const closed = await status(rx, timeout, `waiting for the end of ${name}`);
    if (closed !== 0) throw new WebReplStatusError(`reading ${name} failed`, closed);
    return Buffer.concat(parts);
  });
}

/** The board's MicroPython version, as its WebREPL reports it. */
export function getVersion(port: BinaryPort, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Version> {
  return exchange(port, {}, 'the version request', async (rx) => {
    await port.write(encodeRequest({ op: OP_GET_VER, size: 0, name: '' }));
    return decodeVersion(await rx.readExactly(3, timeoutMs, 'waiting for the WebREPL version'));
  });
}
