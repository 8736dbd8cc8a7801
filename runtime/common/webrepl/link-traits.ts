// Optional capabilities of a Link, found by duck typing like HardResettable
// (board-connect.ts). A WebREPL link has both: its board reads REPL input
// through a small ring with no flow control, and it moves files over its own
// binary protocol instead of through Python source.

import type { BoardFeatures } from '../board-features.js';
import type { TransferOptions } from '../file-transfer.js';
import type { Link } from '../link.js';
import type { RawRepl } from '../raw-repl.js';

/** The board drops REPL input beyond this many bytes in flight, and raw-paste cannot be used. */
export interface BlockPaced {
  readonly inputBlockBytes: number;
}

/** Reads and writes board files by the link's own means; the RawRepl is at the raw prompt for REPL-side steps. */
export interface FileTransport {
  put(repl: RawRepl, f: BoardFeatures, path: string, data: Uint8Array, opts: TransferOptions): Promise<void>;
  get(repl: RawRepl, f: BoardFeatures, path: string, opts: TransferOptions): Promise<Buffer>;
}

export interface FileTransportLink {
  readonly files: FileTransport;
}

export function inputBlockBytes(link: Link): number | null {
  const n = (link as Partial<BlockPaced>).inputBlockBytes;
  return typeof n === 'number' && n > 0 ? n : null;
}

export function fileTransportOf(link: Link): FileTransport | null {
  return (link as Partial<FileTransportLink>).files ?? null;
}
