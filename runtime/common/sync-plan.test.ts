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
});
