import { describe, expect, it } from 'vitest';
import type { FleetDeviceInfo, FleetWaveInfo } from '../../../main/common/api';
import { filterDevices, formatBytes, orderedCounts, stateTone, timeAgo, waveSegments } from './fleet-format';

const wave = (over: Partial<FleetWaveInfo>): FleetWaveInfo => ({
  wave: 0, size: 10, started: true, finished: false, succeeded: 0, failed: 0, active: 0, pending: 0, offline: 0, byState: {}, ...over,
});

describe('fleet view formatting', () => {
  it('lists counts in the order a rollout moves, without zeros', () => {
    expect(orderedCounts({ succeeded: 3, pending: 2, failed: 0, downloading: 1, weird: 1 })).toEqual([
      ['pending', 2], ['downloading', 1], ['succeeded', 3], ['weird', 1],
    ]);
  });

  it('splits a wave bar into succeeded, failed and in-progress shares of its size', () => {
    expect(waveSegments(wave({ succeeded: 5, failed: 1, active: 2 }))).toEqual({ ok: 50, bad: 10, busy: 20 });
    expect(waveSegments(wave({ size: 0 }))).toEqual({ ok: 0, bad: 0, busy: 0 });
  });

  it('colours states by outcome', () => {
    expect(stateTone('succeeded')).toBe('ok');
    expect(stateTone('rolled_back')).toBe('bad');
    expect(stateTone('downloading')).toBe('busy');
    expect(stateTone(null)).toBe('idle');
    expect(stateTone('paused')).toBe('warn');
  });

  it('filters devices by group, all of them for no group', () => {
    const d = (id: string, tags: string[]) => ({ id, tags }) as FleetDeviceInfo;
    const all = [d('a', ['lab']), d('b', ['field', 'lab']), d('c', [])];
    expect(filterDevices(all, 'lab').map((x) => x.id)).toEqual(['a', 'b']);
    expect(filterDevices(all, '')).toHaveLength(3);
  });

  it('words sizes and ages', () => {
    expect(formatBytes(null)).toBe('–');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(38_000)).toBe('37 KB');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(timeAgo(10_000, 11_000)).toBe('just now');
    expect(timeAgo(0, 42_000)).toBe('42 s ago');
    expect(timeAgo(0, 5 * 60_000)).toBe('5 min ago');
  });
});
