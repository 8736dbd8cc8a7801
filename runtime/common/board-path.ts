// Board paths are POSIX-like and absolute. Uploads go to a temporary sibling
// name first; listings hide those names.

/** Absolute, no doubled or trailing slashes: "lib//x/" -> "/lib/x". */
export function normPath(p: string): string {
  const parts = p.split('/').filter((s) => s && s !== '.');
  return '/' + parts.join('/');
}

export function joinPath(dir: string, rel: string): string {
  return normPath(`${dir}/${rel}`);
}

export function dirName(p: string): string {
  const n = normPath(p);
  return n.slice(0, n.lastIndexOf('/')) || '/';
}

export function baseName(p: string): string {
  const n = normPath(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

/** Every folder above `p`, outermost first: "/a/b/c.py" -> ["/a", "/a/b"]. */
export function parentDirs(p: string): string[] {
  const parts = normPath(p).split('/').slice(1, -1);
  return parts.map((_, i) => '/' + parts.slice(0, i + 1).join('/'));
}

const TEMP_SUFFIX = '.mote-part';

/**
 * Where an upload of `p` is written before it is verified: a hidden sibling
 * in the same folder, so the final rename never crosses filesystems.
 */
export function tempNameFor(p: string): string {
  const dir = dirName(p);
  return joinPath(dir, `.${baseName(p)}${TEMP_SUFFIX}`);
}

/** True for the file name (not path) of an upload in progress or interrupted. */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX) && name.length > 1 + TEMP_SUFFIX.length;
}
