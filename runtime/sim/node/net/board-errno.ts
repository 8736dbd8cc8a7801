// Host socket errors as the errno names a MicroPython board reports. The
// board's Python turns a name into the number its own `errno` module uses.

export type BoardErrno =
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ECONNABORTED'
  | 'ETIMEDOUT'
  | 'EHOSTUNREACH'
  | 'EACCES'
  | 'EAGAIN'
  | 'EBADF'
  | 'EINVAL'
  | 'ENOTCONN'
  | 'EADDRINUSE'
  | 'EIO';

const MAP: Record<string, BoardErrno> = {
  ECONNREFUSED: 'ECONNREFUSED',
  ECONNRESET: 'ECONNRESET',
  EPIPE: 'ECONNRESET',
  ECONNABORTED: 'ECONNABORTED',
  ETIMEDOUT: 'ETIMEDOUT',
  EHOSTUNREACH: 'EHOSTUNREACH',
  ENETUNREACH: 'EHOSTUNREACH',
  EHOSTDOWN: 'EHOSTUNREACH',
  EADDRNOTAVAIL: 'EHOSTUNREACH',
  EACCES: 'EACCES',
  EPERM: 'EACCES',
};

export function boardErrno(code: string | undefined): BoardErrno {
  return (code && MAP[code]) || 'EIO';
}
