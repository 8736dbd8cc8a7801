import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSimModules, loadSimModules } from './sim-module-set.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-sim-modules-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the simulator module set', () => {
  const src = path.join(tmp, 'src');
  const out = path.join(tmp, 'out');
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, 'alpha.py'), 'A = 1\n');
  fs.writeFileSync(path.join(src, 'beta.py'), 'def b():\n    return 2\n');
  fs.writeFileSync(path.join(src, 'notes.txt'), 'not a module');

  it('compiles every module to a version 6 .mpy and hands boards the .mpy', async () => {
    expect(await compileSimModules(src, out)).toBe(2);
    const set = loadSimModules(src, out);
    expect(Object.keys(set).sort()).toEqual(['alpha.mpy', 'beta.mpy']);
    expect([...set['alpha.mpy'].subarray(0, 2)]).toEqual([0x4d, 6]);
  });

  it('falls back to the source of a module edited since the build, and of one with no .mpy', () => {
    fs.writeFileSync(path.join(src, 'alpha.py'), 'A = 3\n');
    fs.rmSync(path.join(out, 'beta.mpy'));
    const set = loadSimModules(src, out);
    expect(Object.keys(set).sort()).toEqual(['alpha.py', 'beta.py']);
    expect(Buffer.from(set['alpha.py']).toString()).toBe('A = 3\n');
  });

  it('gives the sources when there is no build or it is not wanted', () => {
    expect(Object.keys(loadSimModules(src, path.join(tmp, 'missing'))).sort()).toEqual(['alpha.py', 'beta.py']);
    expect(Object.keys(loadSimModules(src, null)).sort()).toEqual(['alpha.py', 'beta.py']);
  });
});
