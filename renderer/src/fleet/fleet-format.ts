// How the fleet view words and colours things. Pure, so it is tested apart
// from the components.

import type { FleetDeviceInfo, FleetRolloutInfo, FleetWaveInfo } from '../../../main/common/api';
import { formatSize } from '../state/paths';

export type Tone = 'ok' | 'bad' | 'busy' | 'idle' | 'warn';

/** Device states in the order a rollout moves through them, for the counts row. */
export const STATE_ORDER = ['pending', 'notified', 'downloading', 'verified', 'staged', 'trial', 'succeeded', 'failed', 'rejected', 'rolled_back', 'canceled'];

export function stateTone(state: string | null): Tone {
  if (state === 'succeeded' || state === 'completed') return 'ok';
  if (state === 'failed' || state === 'rejected' || state === 'rolled_back') return 'bad';
  if (state === 'paused' || state === 'canceled') return 'warn';
  if (state === null || state === 'pending') return 'idle';
  return 'busy';
}

export function stateLabel(state: string): string {
  return state.replace(/_/g, ' ');
}

/** Counts per state, in rollout order (unknown states last), zeros left out. */
export function orderedCounts(counts: Record<string, number>): Array<[string, number]> {
  const rank = (s: string) => (STATE_ORDER.includes(s) ? STATE_ORDER.indexOf(s) : STATE_ORDER.length);
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Widths in percent of the wave's bar: succeeded, failed, in progress. */
export function waveSegments(w: FleetWaveInfo): { ok: number; bad: number; busy: number } {
  if (w.size === 0) return { ok: 0, bad: 0, busy: 0 };
  const pct = (n: number) => (100 * n) / w.size;
  return { ok: pct(w.succeeded), bad: pct(w.failed), busy: pct(w.active) };
}

export function rolloutDone(r: FleetRolloutInfo): { succeeded: number; total: number } {
  return r.waves.reduce((a, w) => ({ succeeded: a.succeeded + w.succeeded, total: a.total + w.size }), { succeeded: 0, total: 0 });
}

export function filterDevices(devices: FleetDeviceInfo[], group: string): FleetDeviceInfo[] {
  return group ? devices.filter((d) => d.tags.includes(group)) : devices;
}

/** A size, or a dash where none is known (a device that has not reported its free memory). */
export function formatBytes(n: number | null): string {
  return n === null ? '–' : formatSize(n);
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", then the date. */
export function timeAgo(ts: number, now: number): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 3) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ts).toLocaleDateString();
}

export function clockTime(ts: number): string {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
