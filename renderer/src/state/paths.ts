// File names typed by the user: what is accepted and how it is shown.

/** Adds ".py" when the name has no extension ("blink" -> "blink.py"). */
export function withPythonExtension(name: string): string {
  const trimmed = name.trim();
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return base.includes('.') || base === '' ? trimmed : `${trimmed}.py`;
}

/** Returns why `path` cannot name a file inside the project (or on the board), or null. */
export function checkRelativePath(path: string): string | null {
  if (path.trim() === '') return 'Enter a file name.';
  if (path !== path.trim()) return 'File names cannot start or end with a space.';
  if (path.startsWith('/') || path.includes('\\')) return 'Use a path inside the project with "/" between folders, like lib/sensor.py.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f<>:"|?*]/.test(path)) return 'File names cannot contain control characters or any of < > : " | ? *';
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return 'Each part of the path needs a name (no empty parts, "." or "..").';
  if (path.length > 255) return 'That name is too long.';
  return null;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
