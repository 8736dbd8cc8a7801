// The board's filesystem, written once in terms of exec over the raw REPL.
// Paths always reach Python through pyStr(), never by concatenation, and come
// back hex-encoded (UTF-8), so names with quotes, newlines or non-ASCII
// characters survive both ways. Board exceptions become BoardFsError with an
// errno name (see board-errors.ts).

import { TransferCheckError, toFsError } from './board-errors.js';
import { probeFeatures, type BoardFeatures } from './board-features.js';
import { baseName, isTempName, normPath, parentDirs } from './board-path.js';
import type { BoardSession } from './board-session.js';
import { getFile, putFile, type TransferOptions } from './file-transfer.js';
import { pyStr } from './py-literal.js';
import { BoardError, type RawRepl } from './raw-repl.js';
import { BOARD_SHA256_PY } from './sha256-check.js';

export interface BoardEntry {
  path: string;
  size: number;
  isDir: boolean;
}

export interface BoardFileHash {
  path: string;
  size: number;
  /** Hex SHA-256, or '-' when the firmware has no hashlib.sha256. */
  sha256: string;
}

export interface DiskUsage {
  /** Bytes, from os.statvfs: fragment size times block counts. */
  total: number;
  free: number;
}

// Prints one line per entry: kind, size, SHA-256 (or '-'), hex of the UTF-8
// path. Hashing is optional and streamed by _mote_sha, one file at a time.
const WALK_PY = `import os, binascii
${BOARD_SHA256_PY}def _mote_line(p, d, s, h):
    print('d' if d else 'f', s, h, binascii.hexlify(p.encode()).decode())
def _mote_ls(d, r, h):
    for e in list(os.ilistdir(d)):
        p = d.rstrip('/') + '/' + e[0]
        if e[1] & 0x4000:
            _mote_line(p, 1, 0, '-')
            if r:
                _mote_ls(p, r, h)
        else:
            s = e[3] if len(e) > 3 and e[3] >= 0 else os.stat(p)[6]
            _mote_line(p, 0, s, _mote_sha(p) if h else '-')
`;

const WALK_CLEANUP = `del _mote_sha, _mote_line, _mote_ls\n`;

export interface BoardFsOptions {
  /**
   * The link carries all 256 byte values (serial, USB, the simulator): uploads
   * send 8-bit bytes literals, ~15% fewer bytes than base64. Set false for
   * text-only transports such as WebREPL text frames. Default true; if an
   * upload fails its check it is retried once in base64, which then sticks.
   */
  eightBitClean?: boolean;
}

export class BoardFs {
  private features: BoardFeatures | null = null;
  private eightBit: boolean;

  constructor(
    private readonly session: BoardSession,
    opts: BoardFsOptions = {},
  ) {
    this.eightBit = opts.eightBitClean ?? true;
  }

  /** Entries in a folder (or the file itself), sorted by path; upload temp files are hidden. */
  async ls(path = '/', opts: { recursive?: boolean } = {}): Promise<BoardEntry[]> {
    const p = pyStr(normPath(path));
    const code = `${WALK_PY}_s = os.stat(${p})
if _s[0] & 0x4000:
    _mote_ls(${p}, ${opts.recursive ? 1 : 0}, 0)
else:
    _mote_line(${p}, 0, _s[6], '-')
del _s
${WALK_CLEANUP}`;
    const out = await this.run(path, (r) => r.execChecked(code));
    return parseWalk(out).map(({ path, size, isDir }) => ({ path, size, isDir }));
  }

  async stat(path: string): Promise<BoardEntry> {
    const p = pyStr(normPath(path));
    const out = await this.run(path, (r) =>
      r.execChecked(`import os\n_s = os.stat(${p})\nprint(1 if _s[0] & 0x4000 else 0, _s[6])\ndel _s\n`),
    );
    const [d, size] = out.toString('latin1').trim().split(/\s+/);
    return { path: normPath(path), size: d === '1' ? 0 : Number(size), isDir: d === '1' };
  }

  /** Every file under `root` with its SHA-256, computed on the board in one exec. A missing root is empty. */
  async hashTree(root = '/'): Promise<BoardFileHash[]> {
    const p = pyStr(normPath(root));
    const code = `${WALK_PY}try:
    _s = os.stat(${p})[0] & 0x4000
except OSError:
    _s = 0
if _s:
    _mote_ls(${p}, 1, 1)
del _s
${WALK_CLEANUP}`;
    const out = await this.run(root, (r) => r.execChecked(code, { timeoutMs: 120000 }));
    return parseWalk(out)
      .filter((e) => !e.isDir)
      .map(({ path, size, sha256 }) => ({ path, size, sha256 }));
  }

  /** Downloads a file, verified against the board's SHA-256. */
  get(path: string, opts: TransferOptions = {}): Promise<Buffer> {
    return this.run(path, (r) => getFile(r, normPath(path), opts));
  }

  /** Uploads atomically: temp name, SHA-256 check on the board, rename. Creates parent folders. */
  put(path: string, data: Uint8Array, opts: TransferOptions = {}): Promise<void> {
    return this.run(path, async (r) => {
      const f = await this.featuresIn(r);
      if (!this.eightBit) return putFile(r, f, normPath(path), data, { ...opts, literals: 'base64' });
      try {
        return await putFile(r, f, normPath(path), data, { ...opts, literals: 'bytes' });
      } catch (e) {
        // A link that mangles 8-bit bytes shows up as a checksum or syntax error.
        const mangled = e instanceof TransferCheckError || (e instanceof BoardError && /^SyntaxError/.test(e.message));
        if (!mangled) throw e;
        this.eightBit = false;
        return putFile(r, f, normPath(path), data, { ...opts, literals: 'base64' });
      }
    });
  }

  /** Removes a file or an empty folder; with `recursive`, a folder and everything in it. */
  async rm(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
    const p = pyStr(normPath(path));
    const code = `import os
def _mote_rm(p, r):
    if os.stat(p)[0] & 0x4000:
        if r:
            for e in list(os.ilistdir(p)):
                _mote_rm(p.rstrip('/') + '/' + e[0], r)
        if p != '/':
            os.rmdir(p)
    else:
        os.remove(p)
_mote_rm(${p}, ${opts.recursive ? 1 : 0})
del _mote_rm
`;
    await this.run(path, (r) => r.execChecked(code));
  }

  /** Creates a folder; with `parents` (the default) also its parents, and an existing folder is fine. */
  async mkdir(path: string, opts: { parents?: boolean } = {}): Promise<void> {
    const p = pyStr(normPath(path));
    const code =
      opts.parents === false
        ? `import os\nos.mkdir(${p})\n`
        : `import os
for _d in (${parentDirs(path).map((d) => pyStr(d) + ', ').join('')}):
    try:
        os.mkdir(_d)
    except OSError:
        pass
try:
    os.mkdir(${p})
except OSError:
    if not os.stat(${p})[0] & 0x4000:
        raise
`;
    await this.run(path, (r) => r.execChecked(code));
  }

  async rename(from: string, to: string): Promise<void> {
    await this.run(from, (r) => r.execChecked(`import os\nos.rename(${pyStr(normPath(from))}, ${pyStr(normPath(to))})\n`), to);
  }

  /** Size and free space of the filesystem holding `path`. */
  async df(path = '/'): Promise<DiskUsage> {
    const out = await this.run(path, (r) =>
      r.execChecked(`import os\n_v = os.statvfs(${pyStr(normPath(path))})\nprint(_v[0], _v[1], _v[2], _v[4])\ndel _v\n`),
    );
    const [bsize, frsize, blocks, bavail] = out.toString('latin1').trim().split(/\s+/).map(Number);
    const unit = frsize || bsize;
    return { total: unit * blocks, free: unit * bavail };
  }

  /** What the firmware offers (deflate, hashlib, free RAM); asked once. */
  capabilities(): Promise<BoardFeatures> {
    return this.features ? Promise.resolve(this.features) : this.session.exclusive((r) => this.featuresIn(r));
  }

  // The names the IDE back end has always used.
  list(root = '/'): Promise<BoardEntry[]> {
    return this.ls(root, { recursive: true });
  }
  read(path: string): Promise<Buffer> {
    return this.get(path);
  }
  write(path: string, data: Uint8Array, opts: TransferOptions = {}): Promise<void> {
    return this.put(path, data, opts);
  }
  remove(path: string): Promise<void> {
    return this.rm(path, { recursive: true });
  }

  private async featuresIn(r: RawRepl): Promise<BoardFeatures> {
    return (this.features ??= await probeFeatures(r));
  }

  /** Runs `fn` in raw mode; a board OSError becomes a BoardFsError naming `path` (and `dest`). */
  private run<T>(path: string, fn: (r: RawRepl) => Promise<T>, dest?: string): Promise<T> {
    return this.session.exclusive(async (r) => {
      try {
        return await fn(r);
      } catch (e) {
        if (!(e instanceof BoardError)) throw e;
        // The errno numbering is needed only now; the board is at the raw prompt.
        const style = (await this.featuresIn(r).catch(() => null))?.errnoStyle ?? 'micropython';
        throw toFsError(e, style, normPath(path), dest === undefined ? undefined : normPath(dest));
      }
    });
  }
}

interface WalkEntry extends BoardEntry {
  sha256: string;
}

function parseWalk(out: Buffer): WalkEntry[] {
  const entries: WalkEntry[] = [];
  for (const line of out.toString('latin1').split(/\r?\n/)) {
    if (!line) continue;
    const m = /^([df]) (\d+) (\S+) ([0-9a-f]*)$/.exec(line);
    if (!m) throw new BoardError(`unexpected listing line ${JSON.stringify(line)}`, line);
    const path = Buffer.from(m[4], 'hex').toString('utf8');
    if (m[1] === 'f' && isTempName(baseName(path))) continue;
    entries.push({ path, size: Number(m[2]), isDir: m[1] === 'd', sha256: m[3] });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
