// A Link is a byte pipe to a board: serial port, WebREPL socket or simulator.
// Links contain no protocol code; everything above them is written once.

export interface Link {
  /** Shown to users, e.g. "/dev/ttyACM0" or "Simulator". */
  readonly name: string;
  /** Resolves once the bytes were handed to the transport. Rejects if the link is closed. */
  write(data: Uint8Array): Promise<void>;
  /** Bytes from the board, in order, exactly as received. Returns an unsubscribe function. */
  onData(listener: (data: Uint8Array) => void): () => void;
  /** Called once when the link closes; `error` is null for a close we asked for. */
  onClose(listener: (error: Error | null) => void): () => void;
  close(): Promise<void>;
}

/**
 * A link that can wait until the bytes written so far have left the host
 * (tcdrain on a serial port: on a pty, until the other side read them).
 * Pacing without flow control uses it so a slow reader never has more than
 * one slice queued in front of it.
 */
export interface Drainable {
  drain(): Promise<void>;
}

export function drainLink(link: Link): Promise<void> {
  const d = (link as Partial<Drainable>).drain;
  return typeof d === 'function' ? d.call(link) : Promise.resolve();
}
