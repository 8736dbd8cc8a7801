// Board exceptions from filesystem code become host errors with an errno name
// (like Node's `code: 'ENOENT'`) and a message that names the path.
//
// Firmware prints `OSError: [Errno 2] ENOENT` when the number is in its errno
// table, and only `OSError: 2` otherwise. The numbers depend on the port:
// MicroPython's own table follows Linux, while the webassembly port (the
// simulator) passes through Emscripten's libc numbers (ENOENT = 44). Which
// table a board uses is learned once by provoking an ENOENT (see board-features.ts).
// Emscripten's numbers are WASI's (errno.h of wasi-libc).

import { BoardError } from './raw-repl.js';

export type ErrnoStyle = 'micropython' | 'emscripten';

const MICROPYTHON_ERRNO: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 5: 'EIO', 9: 'EBADF', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 16: 'EBUSY', 17: 'EEXIST',
  19: 'ENODEV', 20: 'ENOTDIR', 21: 'EISDIR', 22: 'EINVAL', 27: 'EFBIG', 28: 'ENOSPC', 30: 'EROFS', 36: 'ENAMETOOLONG',
  39: 'ENOTEMPTY', 95: 'EOPNOTSUPP', 110: 'ETIMEDOUT',
};

const EMSCRIPTEN_ERRNO: Record<number, string> = {
  2: 'EACCES', 6: 'EAGAIN', 8: 'EBADF', 10: 'EBUSY', 20: 'EEXIST', 22: 'EFBIG', 28: 'EINVAL', 29: 'EIO', 31: 'EISDIR',
  37: 'ENAMETOOLONG', 43: 'ENODEV', 44: 'ENOENT', 48: 'ENOMEM', 51: 'ENOSPC', 54: 'ENOTDIR', 55: 'ENOTEMPTY',
  63: 'EPERM', 69: 'EROFS',
};

const MEANING: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENOTDIR: 'not a folder',
  EISDIR: 'is a folder',
  ENOTEMPTY: 'folder not empty',
  ENOSPC: 'the board is out of space',
  EROFS: 'read-only filesystem',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  EINVAL: 'invalid argument',
  ENOMEM: 'the board is out of memory',
  ENAMETOOLONG: 'name too long',
};

/** A filesystem operation failed on the board. */
export class BoardFsError extends BoardError {
  constructor(
    message: string,
    traceback: string,
    /** errno name, e.g. 'ENOENT'; 'EIO' when the board gave no number. */
    readonly code: string,
    readonly errno: number | null,
    /** The board path(s) the operation was about. */
    readonly path: string,
    readonly dest?: string,
  ) {
    super(message, traceback);
    this.name = 'BoardFsError';
  }
}

/** Upload or download whose SHA-256 (or size) did not match. */
export class TransferCheckError extends BoardFsError {
  constructor(path: string, detail: string, upload: boolean) {
    const outcome = upload ? 'the upload was discarded and the old file kept' : 'the download was discarded';
    super(`${path}: the copy does not match the original (${detail}); ${outcome}`, '', 'ECHECKSUM', null, path);
    this.name = 'TransferCheckError';
  }
}

/** The parts of `OSError: ...` on the traceback's last line, or null for other exceptions. */
export function parseOSError(tb: string): { errno: number | null; name: string | null } | null {
  const last = tb.trim().split(/\r?\n/).pop() ?? '';
  const m = /^OSError: (?:\[Errno (\d+)\] (E[A-Z0-9]+)|(-?\d+)|(.*))$/.exec(last.trim());
  if (!m) return null;
  if (m[1]) return { errno: Number(m[1]), name: m[2] };
  if (m[3]) return { errno: Number(m[3]), name: null };
  return { errno: null, name: null };
}

/** errno name for a number the board printed bare. */
export function errnoName(errno: number, style: ErrnoStyle): string | null {
  return (style === 'emscripten' ? EMSCRIPTEN_ERRNO : MICROPYTHON_ERRNO)[errno] ?? null;
}

/**
 * Turns a BoardError raised by filesystem code into a BoardFsError naming
 * `path` (and `dest` for two-path operations). Other errors pass through.
 */
export function toFsError(e: unknown, style: ErrnoStyle, path: string, dest?: string): unknown {
  if (!(e instanceof BoardError) || e instanceof BoardFsError) return e;
  const os = parseOSError(e.traceback);
  if (!os) return e;
  const code = os.name ?? (os.errno !== null ? errnoName(os.errno, style) : null) ?? 'EIO';
  const what = MEANING[code] ?? `error ${os.errno ?? '?'}`;
  const where = dest ? `${path} -> ${dest}` : path;
  return new BoardFsError(`${code}: ${what}: ${where} (on the board)`, e.traceback, code, os.errno, path, dest);
}
