// The release manifest and its canonical text (ota/PROTOCOL.md §Manifest).
// The signature covers exactly the bytes of this text as sent, so a device
// verifies what it received without re-encoding anything; the line format is
// chosen so a few str.split calls in MicroPython parse it.

export const MANIFEST_MAGIC = 'MOTE-OTA/1';

export interface ManifestFile {
  path: string;
  size: number;
  /** Lower-case hex SHA-256 of the file. */
  sha256: string;
}

export interface Manifest {
  seq: number;
  app: string;
  /** Target port (sys.platform, e.g. "esp32", "rp2") or "*" for any. */
  port: string;
  /** Lowest MicroPython version "major.minor" the app runs on, or "*". */
  mpy: string;
  /** Sorted by path (byte order). */
  files: ManifestFile[];
}

const APP = /^[A-Za-z0-9_.-]{1,32}$/;
const PORT = /^(\*|[a-z0-9_]{1,16})$/;
const MPY = /^(\*|\d{1,3}\.\d{1,3})$/;
const HEX64 = /^[0-9a-f]{64}$/;
// No spaces (the line format splits on them), no backslashes, no empty or dot segments.
const PATH_SEGMENT = /^[A-Za-z0-9_+=,@-][A-Za-z0-9_.+=,@-]*$/;
export const MAX_FILE_SIZE = 0xffffffff;

/** Why `path` cannot travel in a manifest, or null when it can. */
export function manifestPathProblem(path: string): string | null {
  if (path.length === 0 || path.length > 128) return 'must be 1-128 characters';
  for (const seg of path.split('/')) {
    if (!PATH_SEGMENT.test(seg)) return `segment ${JSON.stringify(seg)} must be A-Z a-z 0-9 _ . + = , @ - (no spaces, not starting with a dot)`;
  }
  return null;
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`invalid manifest: ${what}`);
}

function validate(m: Manifest): void {
  check(Number.isSafeInteger(m.seq) && m.seq > 0, `seq ${m.seq} must be a positive integer`);
  check(APP.test(m.app), `app ${JSON.stringify(m.app)} must be 1-32 of A-Z a-z 0-9 _ . -`);
  check(PORT.test(m.port), `port ${JSON.stringify(m.port)} must be a lower-case port name or *`);
  check(MPY.test(m.mpy), `mpy ${JSON.stringify(m.mpy)} must be major.minor or *`);
  check(m.files.length > 0, 'no files');
  let prev = '';
  for (const f of m.files) {
    const why = manifestPathProblem(f.path);
    check(why === null, `path ${JSON.stringify(f.path)} ${why}`);
    check(f.path > prev, `files not sorted or duplicated at ${JSON.stringify(f.path)}`);
    check(HEX64.test(f.sha256), `sha256 of ${f.path} must be 64 lower-case hex digits`);
    check(Number.isSafeInteger(f.size) && f.size >= 0 && f.size <= MAX_FILE_SIZE, `size of ${f.path}`);
    prev = f.path;
  }
}

/** Canonical text of a manifest: the exact bytes that are signed. Files are sorted here. */
export function encodeManifest(m: Manifest): string {
  const sorted = { ...m, files: [...m.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
  validate(sorted);
  const lines = [MANIFEST_MAGIC, `seq ${m.seq}`, `app ${m.app}`, `port ${m.port}`, `mpy ${m.mpy}`];
  for (const f of sorted.files) lines.push(`file ${f.sha256} ${f.size} ${f.path}`);
  return lines.join('\n') + '\n';
}

/** Parses canonical text strictly: anything encodeManifest would not produce is refused. */
export function decodeManifest(text: string): Manifest {
  check(text.endsWith('\n'), 'must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  check(lines[0] === MANIFEST_MAGIC, `first line must be ${MANIFEST_MAGIC}`);
  const field = (i: number, key: string): string => {
    const line = lines[i] ?? '';
    check(line.startsWith(key + ' '), `line ${i + 1} must be "${key} ..."`);
    return line.slice(key.length + 1);
  };
  const seqText = field(1, 'seq');
  check(/^[1-9]\d{0,15}$/.test(seqText), `seq ${JSON.stringify(seqText)}`);
  const m: Manifest = { seq: Number(seqText), app: field(2, 'app'), port: field(3, 'port'), mpy: field(4, 'mpy'), files: [] };
  for (let i = 5; i < lines.length; i++) {
    const parts = field(i, 'file').split(' ');
    check(parts.length === 3 && /^(0|[1-9]\d*)$/.test(parts[1]), `line ${i + 1} must be "file <sha256> <size> <path>"`);
    m.files.push({ sha256: parts[0], size: Number(parts[1]), path: parts[2] });
  }
  validate(m);
  return m;
}

/** Sum of the sizes of the files a device lacks, given the SHA-256s it already has. */
export function changedBytes(m: Manifest, have: ReadonlySet<string>): number {
  return m.files.filter((f) => !have.has(f.sha256)).reduce((n, f) => n + f.size, 0);
}
