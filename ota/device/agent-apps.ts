// Apps for boards running the real agent in tests and benchmarks. Each
// main.py imports all of its modules and asserts that every one belongs to
// its own release, so a slot holding a mix of two releases fails its trial
// and would be rolled back, visibly.

/** main.py plus one module per entry of `mods` (name → version, each padded to about `pad` bytes) and a data file. */
export function selfCheckingApp(mods: Record<string, number>, data: Buffer, pad = 0): Record<string, Buffer> {
  const names = Object.keys(mods);
  const files: Record<string, Buffer> = {
    'main.py': Buffer.from(`import ${names.join(', ')}\nassert (${names.map((n) => `${n}.V`).join(', ')},) == (${Object.values(mods).join(', ')},), 'mixed app'\n`),
    'lib/data.bin': data,
  };
  const filler = pad > 0 ? `# ${'.'.repeat(pad)}\n` : '';
  for (const [m, v] of Object.entries(mods)) files[`${m}.py`] = Buffer.from(`V = ${v}\n${filler}`);
  return files;
}

/** True when `slot` holds exactly the files of `app`, byte for byte. */
export function sameApp(slot: Map<string, Buffer>, app: Record<string, Buffer>): boolean {
  return slot.size === Object.keys(app).length && Object.entries(app).every(([p, d]) => slot.get(p)?.equals(d));
}
