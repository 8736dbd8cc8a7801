import { describe, expect, it } from 'vitest';
import { MoteIgnore } from './moteignore.js';
import { planSync } from './sync-plan.js';

const ignore = MoteIgnore.parse('config.json');

describe('planSync', () => {
  const local = [
    { path: 'main.py', size: 3, sha256: 'aaa' },
    { path: 'lib/util.py', size: 4, sha256: 'bbb' },
    { path: 'new.py', size: 5, sha256: 'ccc' },
    { path: 'nohash.py', size: 6, sha256: 'ddd' },
  ];
  const remote = [
    { path: '/app/main.py', size: 3, sha256: 'aaa' },
    { path: '/app/lib/util.py', size: 4, sha256: 'changed' },
    { path: '/app/nohash.py', size: 6, sha256: '-' },
    { path: '/app/old.py', size: 7, sha256: 'eee' },
    { path: '/app/config.json', size: 8, sha256: 'fff' },
    { path: '/elsewhere.py', size: 9, sha256: 'ggg' },
  ];

  it('uploads what differs or is missing, keeps what matches, deletes nothing by default', () => {
    const plan = planSync(local, remote, { remoteDir: '/app', deleteRemoved: false, ignore });
    expect(plan.upload.map((i) => i.remotePath)).toEqual(['/app/lib/util.py', '/app/new.py', '/app/nohash.py']);
    expect(plan.unchanged).toEqual([{ path: 'main.py', remotePath: '/app/main.py', size: 3 }]);
    expect(plan.delete).toEqual([]);
  });

  it('deletes board files missing locally when asked, except ignored ones and those outside remoteDir', () => {
    const plan = planSync(local, remote, { remoteDir: '/app/', deleteRemoved: true, ignore });
    expect(plan.delete).toEqual([{ path: 'old.py', remotePath: '/app/old.py', size: 7 }]);
  });

  it('syncs to the root', () => {
    const plan = planSync([{ path: 'a.py', size: 1, sha256: 'x' }], [{ path: '/a.py', size: 1, sha256: 'x' }], {
      remoteDir: '/',
      deleteRemoved: true,
      ignore,
    });
    expect(plan).toEqual({ upload: [], unchanged: [{ path: 'a.py', remotePath: '/a.py', size: 1 }], delete: [] });
  });
  it('compiled modules go as .mpy, match by the .mpy hash, and a shadowing .py on the board is deleted', () => {
    const compiled = [
      { path: 'main.py', size: 3, sha256: 'aaa' },
      { path: 'lib/util.py', size: 40, sha256: 'mpy1', remoteRel: 'lib/util.mpy' },
      { path: 'calc.py', size: 50, sha256: 'mpy2', remoteRel: 'calc.mpy' },
    ];
    const onBoard = [
      { path: '/app/main.py', size: 3, sha256: 'aaa' },
      { path: '/app/lib/util.py', size: 4, sha256: 'bbb' },
      { path: '/app/calc.mpy', size: 50, sha256: 'mpy2' },
      { path: '/app/old.py', size: 7, sha256: 'eee' },
    ];
    const plan = planSync(compiled, onBoard, { remoteDir: '/app', deleteRemoved: false, ignore });
    expect(plan.upload).toEqual([{ path: 'lib/util.py', remotePath: '/app/lib/util.mpy', size: 40, compiled: true }]);
    expect(plan.unchanged.map((i) => i.remotePath)).toEqual(['/app/calc.mpy', '/app/main.py']);
    expect(plan.delete).toEqual([{ path: 'lib/util.py', remotePath: '/app/lib/util.py', size: 4, shadows: '/app/lib/util.mpy' }]);
    const all = planSync(compiled, onBoard, { remoteDir: '/app', deleteRemoved: true, ignore });
    expect(all.delete.map((d) => d.remotePath)).toEqual(['/app/lib/util.py', '/app/old.py']);
  });
});
