// What the user asked to install, as mip reads it: an index name with an
// optional version ("aioble", "aioble@0.4"), a `github:org/repo[/path]`
// shorthand, or an http(s) URL of a package.json or of a single .py/.mpy.

export type PackageSpec =
  | { kind: 'index'; name: string; version: string | null }
  | { kind: 'url'; url: string; version: string | null };

/** Index names as micropython-lib publishes them: letters, digits, '-', '_', '.'. */
const INDEX_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$/;

export class PackageSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageSpecError';
  }
}

export function isUrlSpec(s: string): boolean {
  return /^(https?:\/\/|github:|gitlab:)/.test(s);
}

/** Parses "name", "name@ver", "github:org/repo[/path][@ref]", "https://.../package.json[@ref]". */
export function parsePackageSpec(text: string): PackageSpec {
  const s = text.trim();
  if (!s) throw new PackageSpecError('no package named');
  // A version follows the last '@' unless that '@' is part of the URL's authority (user@host).
  const at = s.lastIndexOf('@');
  const head = at > 0 && !s.slice(at).includes('/') ? s.slice(0, at) : s;
  const version = head === s ? null : s.slice(at + 1);
  if (version !== null && !VERSION.test(version)) throw new PackageSpecError(`"${version}" is not a version (in "${s}")`);
  if (isUrlSpec(head)) {
    if (/^(github|gitlab):/.test(head) && !/^(github|gitlab):[^/\s]+\/[^/\s]+(\/[^\s]*)?$/.test(head)) {
      throw new PackageSpecError(`"${head}" is not a repository: write github:ORG/REPO or github:ORG/REPO/path`);
    }
    return { kind: 'url', url: head, version };
  }
  if (!INDEX_NAME.test(head)) throw new PackageSpecError(`"${head}" is not a package name (letters, digits, '-', '_', '.'), nor a github: or http(s) URL`);
  return { kind: 'index', name: head, version };
}

/** The key a package is known by in the lock: its index name, or its URL as written. */
export function specName(s: PackageSpec): string {
  return s.kind === 'index' ? s.name : s.url;
}
