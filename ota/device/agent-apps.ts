// Apps for boards running the real agent in tests and benchmarks. Each
// main.py imports all of its modules and asserts that every one belongs to
// its own release, so a slot holding a mix of two releases fails its trial
// and would be rolled back, visibly.

import { createHash } from 'node:crypto';

/** main.py plus one module per entry of `mods` (name → version, each padded to about `pad` bytes) and a data file. */
export function selfCheckingApp(mods: Record<string, number>, data: Buffer, pad = 0): Record<string, Buffer> {
  const names = Object.keys(mods);
  const files: Record<string, Buffer> = {
    'main.py': Buffer.from(`import ${names.join(', ')}\nassert (${names.map((n) => `${n}.V`).join(', ')},) == (${Object.values(mods).join(', ')},), 'mixed app'\n`),
    'lib/data.bin': data,
  };
  for (const [m, v] of Object.entries(mods)) files[`${m}.py`] = Buffer.from(`V = ${v}\n${filler(`${m} ${v}`, pad)}`);
  return files;
}

/** A comment of about `size` bytes, different for each seed, so no two modules share a SHA-256. */
function filler(seed: string, size: number): string {
  if (size <= 0) return '';
  let h = createHash('sha256').update(seed).digest('hex');
  while (h.length < size) h += createHash('sha256').update(h).digest('hex');
  return `# ${h.slice(0, size)}\n`;
}

/** True when `slot` holds exactly the files of `app`, byte for byte. */
export function sameApp(slot: Map<string, Buffer>, app: Record<string, Buffer>): boolean {
  return slot.size === Object.keys(app).length && Object.entries(app).every(([p, d]) => slot.get(p)?.equals(d));
}
