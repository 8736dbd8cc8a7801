import { describe, expect, it } from 'vitest';
import type { BoardStatus } from '../../../main/common/api';
import { describePlan, describeProgress, percentOf, targetIdOf } from './board-targets';

const status = (connection: string): BoardStatus => ({ boardName: 'b', version: 'v', state: 'ready', connection });

describe('board targets and sync text', () => {
  it('names the connected target', () => {
    expect(targetIdOf(null)).toBe('sim');
    expect(targetIdOf(status('Simulator'))).toBe('sim');
    expect(targetIdOf(status('/dev/ttyACM0'))).toBe('serial:/dev/ttyACM0');
  });

  it('summarises a plan', () => {
    const e = (path: string, size: number) => ({ path, remotePath: `/${path}`, size });
    const plan = { upload: [e('main.py', 2048)], unchanged: [e('a.py', 1), e('b.py', 1)], delete: [e('old.py', 3)] };
    expect(describePlan(plan, false)).toBe('1 to upload (2.0 KB), 2 unchanged, 1 only on the board (kept)');
    expect(describePlan(plan, true)).toBe('1 to upload (2.0 KB), 2 unchanged, 1 to delete');
    expect(describePlan({ upload: [], unchanged: [], delete: [] }, true)).toBe('0 to upload, 0 unchanged');
  });

  it('describes progress', () => {
    const p = { label: 'main.py', done: 512, total: 2048, bytesPerSecond: 1024 };
    expect(describeProgress(p)).toBe('main.py · 512 B of 2.0 KB · 1.0 KB/s');
    expect(percentOf(p)).toBe(25);
    expect(percentOf(null)).toBe(0);
    expect(percentOf({ ...p, total: 0 })).toBe(0);
  });
});
