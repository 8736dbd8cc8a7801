// Resolution, as mip does it: a spec becomes the package's JSON (from the
// index for the board's .mpy version or as .py, or a package.json at a URL),
// whose "hashes" and "urls" name the files and whose "deps" are resolved
// the same way, recursively. Nothing is downloaded here except JSON.

import { fileUrl, isSingleFile, packageJsonFor, packageJsonUrl, rewriteUrl, type UrlOptions } from './index-urls.js';
import type { PackageFetcher } from './package-fetch.js';
import { isUrlSpec, parsePackageSpec, specName, type PackageSpec } from './package-spec.js';

export interface ResolvedFile {
  /** Path under the install target, '/'-separated, e.g. "aioble/core.mpy". */
  path: string;
  url: string;
  /** The index's short SHA-256 (a prefix of the full hash); null for "urls" entries, which carry none. */
  hash: string | null;
}

export interface ResolvedPackage {
  /** Index name, or the URL as written (without @ref) for URL packages. */
  name: string;
  /** The version the package JSON declares; else the one asked for; else "latest" / "HEAD". */
  version: string;
  /** What to ask for again to get this package: "name@version" or the URL with its @ref. */
  source: string;
  /** 'py', or the .mpy major version the files were chosen for; null for URL packages (the author decides). */
  mpy: string | null;
  files: ResolvedFile[];
  /** Names of the packages this one asked for. */
  deps: string[];
}

export interface ResolveOptions extends UrlOptions {
  /** The board's .mpy major version, or null to install .py sources. */
  mpy: number | null;
}

export class PackageFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageFormatError';
  }
}

/** Resolves `specs` and every dependency, each package once (the first version asked for wins), dependencies first. */
export async function resolvePackages(specs: string[], fetcher: PackageFetcher, o: ResolveOptions): Promise<ResolvedPackage[]> {
  const seen = new Set<string>();
  const order: ResolvedPackage[] = [];
  const visit = async (spec: PackageSpec, chain: string[]): Promise<void> => {
    const key = specName(spec);
    if (seen.has(key) || chain.includes(key)) return;
    const pkg = await resolveOne(spec, fetcher, o);
    seen.add(key);
    for (const dep of pkg.depSpecs) await visit(dep, [...chain, key]);
    order.push(pkg.resolved);
  };
  for (const s of specs) await visit(parsePackageSpec(s), []);
  return order;
}

async function resolveOne(spec: PackageSpec, fetcher: PackageFetcher, o: ResolveOptions): Promise<{ resolved: ResolvedPackage; depSpecs: PackageSpec[] }> {
  if (spec.kind === 'url' && isSingleFile(spec.url)) {
    const url = rewriteUrl(o, spec.url, spec.version);
    const file = { path: lastSegment(spec.url), url, hash: null };
    checkPath(file.path, spec.url);
    const resolved = { name: spec.url, version: spec.version ?? 'HEAD', source: withRef(spec.url, spec.version), mpy: null, files: [file], deps: [] };
    return { resolved, depSpecs: [] };
  }
  const jsonUrl =
    spec.kind === 'index'
      ? packageJsonUrl(o, spec.name, o.mpy === null ? 'py' : String(o.mpy), spec.version)
      : packageJsonFor(rewriteUrl(o, spec.url, spec.version));
  const name = spec.kind === 'index' ? spec.name : spec.url;
  const json = parsePackageJson(await fetcher.json(jsonUrl), name);
  const base = jsonUrl.slice(0, jsonUrl.lastIndexOf('/'));
  const files: ResolvedFile[] = [
    ...json.hashes.map(([p, h]) => ({ path: p, url: fileUrl(o, h), hash: h.toLowerCase() })),
    // Relative "urls" are relative to the package.json, as in mip.
    ...json.urls.map(([p, u]) => ({ path: p, url: isUrlSpec(u) ? rewriteUrl(o, u, spec.version) : `${base}/${u.replace(/^\.?\//, '')}`, hash: null })),
  ];
  for (const f of files) checkPath(f.path, name);
  const depSpecs = json.deps.map(([d, v]) => {
    const s = parsePackageSpec(d);
    return v ? { ...s, version: v } : s;
  });
  const version = json.version ?? spec.version ?? (spec.kind === 'index' ? 'latest' : 'HEAD');
  const resolved: ResolvedPackage = {
    name,
    version,
    source: spec.kind === 'index' ? `${spec.name}@${version}` : withRef(spec.url, spec.version),
    mpy: spec.kind === 'index' ? (o.mpy === null ? 'py' : String(o.mpy)) : null,
    files,
    deps: depSpecs.map(specName),
  };
  return { resolved, depSpecs };
}

interface PackageJson {
  version: string | null;
  hashes: [string, string][];
  urls: [string, string][];
  deps: [string, string | null][];
}

/** Checks a package JSON's shape; a bad one is refused with what is wrong, not half-installed. */
export function parsePackageJson(v: unknown, name: string): PackageJson {
  const bad = (why: string) => new PackageFormatError(`the package JSON of ${name} ${why}`);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('is not an object');
  const o = v as Record<string, unknown>;
  const pairs = (key: string, secondOptional: boolean): [string, string | null][] => {
    const a = o[key];
    if (a === undefined) return [];
    if (!Array.isArray(a)) throw bad(`has "${key}" that is not a list`);
    return a.map((e, i) => {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || !(typeof e[1] === 'string' || (secondOptional && (e[1] === undefined || e[1] === null || e[1] === '')))) {
        throw bad(`has "${key}"[${i}] that is not a [string, string] pair`);
      }
      return [e[0], typeof e[1] === 'string' && e[1] !== '' ? e[1] : null];
    });
  };
  const hashes = pairs('hashes', false) as [string, string][];
  for (const [p, h] of hashes) if (!/^[0-9a-fA-F]{6,64}$/.test(h)) throw bad(`lists "${h}" as the hash of ${p}: not a hex SHA-256 prefix`);
  const version = o.version === undefined ? null : typeof o.version === 'string' ? o.version : null;
  return { version, hashes, urls: pairs('urls', false) as [string, string][], deps: pairs('deps', true) };
}

// A package may only write under the target: no "..", no absolute paths, no odd characters.
function checkPath(p: string, name: string): void {
  const parts = p.split('/');
  if (!p || p.startsWith('/') || parts.some((s) => s === '' || s === '.' || s === '..') || /[\\\0-\x1f]/.test(p)) {
    throw new PackageFormatError(`${name} wants to install a file at "${p}", which is not a plain relative path; refused`);
  }
}

function lastSegment(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

function withRef(url: string, ref: string | null): string {
  return ref ? `${url}@${ref}` : url;
}
