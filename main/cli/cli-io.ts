// The CLI's connection to the outside world, passed in so tests can run
// `main()` in-process with captured output and a scripted Ctrl-C.

export interface CliOutput {
  write(data: string | Uint8Array): unknown;
}

export interface CliInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: CliInput;
  /** Ctrl-C in the user's terminal (SIGINT). Returns an unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  };
}

/** A usage mistake: message on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Board text uses \r\n; a host terminal or a pipe wants \n. Bytes other than \r\n pass untouched. */
export function toHostText(b: Uint8Array): Buffer {
  return Buffer.from(Buffer.from(b).toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}

/**
 * The same for a stream: a "\r" at the end of one chunk may be followed by
 * "\n" at the start of the next.
 */
export class HostTextStream {
  private heldCr = false;

  write(b: Uint8Array): Buffer {
    let s = (this.heldCr ? '\r' : '') + Buffer.from(b).toString('latin1');
    this.heldCr = s.endsWith('\r');
    if (this.heldCr) s = s.slice(0, -1);
    return Buffer.from(s.replace(/\r\n/g, '\n'), 'latin1');
  }

  end(): Buffer {
    const b = Buffer.from(this.heldCr ? '\r' : '', 'latin1');
    this.heldCr = false;
    return b;
  }
}
