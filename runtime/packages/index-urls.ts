// Where things live on a mip index and on code hosts, in the index's real
// layout (micropython-lib's "v2" index at https://micropython.org/pi/v2):
//   {base}/index.json                                  every package: name, version, description
//   {base}/package/{mpy major | 'py'}/{name}/{version | 'latest'}.json
//   {base}/file/{hash[:2]}/{hash}                      a file by its short SHA-256

export const DEFAULT_INDEX = 'https://micropython.org/pi/v2';

export interface UrlOptions {
  /** The index, without a trailing slash (default DEFAULT_INDEX). */
  index?: string;
  /**
   * Where `github:org/repo/path` points: `{githubBase}/org/repo/{ref}/path`.
   * Default https://raw.githubusercontent.com. Tests and mirrors set it to a
   * local server; the same for gitlab: with gitlabBase.
   */
  githubBase?: string;
  gitlabBase?: string;
}

export function indexBase(o: UrlOptions): string {
  return (o.index ?? DEFAULT_INDEX).replace(/\/+$/, '');
}

export function indexListUrl(o: UrlOptions): string {
  return `${indexBase(o)}/index.json`;
}

export function packageJsonUrl(o: UrlOptions, name: string, mpy: string, version: string | null): string {
  return `${indexBase(o)}/package/${encodeURIComponent(mpy)}/${encodeURIComponent(name)}/${encodeURIComponent(version ?? 'latest')}.json`;
}

export function fileUrl(o: UrlOptions, shortHash: string): string {
  return `${indexBase(o)}/file/${shortHash.slice(0, 2)}/${shortHash}`;
}

/** github:org/repo/path (ref: branch or tag, default HEAD) -> an https URL; other URLs unchanged. */
export function rewriteUrl(o: UrlOptions, url: string, ref: string | null): string {
  const m = /^(github|gitlab):([^/]+)\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) return url;
  const [, host, org, repo, rest] = m;
  const branch = ref ?? 'HEAD';
  if (host === 'github') return `${(o.githubBase ?? 'https://raw.githubusercontent.com').replace(/\/+$/, '')}/${org}/${repo}/${branch}/${rest}`;
  return `${(o.gitlabBase ?? 'https://gitlab.com').replace(/\/+$/, '')}/${org}/${repo}/-/raw/${branch}/${rest}`;
}

/** A package URL that is not a single file names a folder (then its package.json) or a .json. */
export function packageJsonFor(url: string): string {
  if (url.endsWith('.json')) return url;
  return `${url.replace(/\/+$/, '')}/package.json`;
}

export function isSingleFile(url: string): boolean {
  return url.endsWith('.py') || url.endsWith('.mpy');
}
