// The package manager's part of the API contract (see api.ts): types and
// pure validation only, so the renderer may import it.

/** One package of the index (index.json), with what the project has installed of it. */
export interface PackageIndexEntry {
  name: string;
  version: string;
  description: string;
  /** The version in the project's mote.lock, or null. */
  installed: string | null;
}

/** A package recorded in the project's mote.lock. */
export interface InstalledPackageInfo {
  name: string;
  version: string;
  /** Asked for by the user; false for a package installed only as a dependency. */
  direct: boolean;
  files: number;
  /** The board folder it is in, e.g. "/lib". */
  target: string;
}

export interface PackageProgressInfo {
  phase: 'resolve' | 'download' | 'upload' | 'remove';
  package: string | null;
  file: string | null;
  /** download/remove: files; upload: bytes. */
  done: number;
  total: number;
}

/** Why a package spec (name[@version], github:org/repo[/path][@ref], an http(s) URL) is refused, or null. */
export function packageSpecProblem(v: unknown): string | null {
  if (typeof v !== 'string') return 'spec must be a string';
  if (v.length === 0 || v.length > 512) return 'spec must be 1 to 512 characters';
  if (/[\s\0]/.test(v)) return 'spec cannot contain spaces or control characters';
  return null;
}

/** A package name as the lock knows it (index name or URL). */
export function packageNameProblem(v: unknown): string | null {
  return packageSpecProblem(v)?.replace('spec', 'name') ?? null;
}
