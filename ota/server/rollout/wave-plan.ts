// Pure rollout arithmetic: how a group splits into waves, and what a rollout
// should do next given the counts per state. No I/O, so every rule is easy to
// read (and test) in one place.

import { createHash } from 'node:crypto';
import { FAILURE_STATES } from '../../common/messages.js';
import type { RolloutPolicy, WaveCounts } from '../registry/rollout-store.js';

export const DEFAULT_POLICY: RolloutPolicy = {
  waves: [0.01, 0.1, 0.5, 1],
  minFirstWave: 5,
  successRatio: 0.95,
  failureRatio: 0.2,
  minFinished: 5,
  notifyPerSecond: 200,
  jitterMs: 2000,
};

export function checkPolicy(p: RolloutPolicy): RolloutPolicy {
  const bad = (what: string) => new Error(`invalid rollout policy: ${what}`);
  if (p.waves.length === 0 || p.waves.length > 20) throw bad('waves must list 1-20 fractions');
  p.waves.forEach((f, i) => {
    if (!(f > 0 && f <= 1)) throw bad(`wave ${i + 1} fraction ${f} must be in (0, 1]`);
    if (i > 0 && f <= p.waves[i - 1]) throw bad('wave fractions must increase');
  });
  if (p.waves[p.waves.length - 1] !== 1) throw bad('the last wave must reach the whole group (1)');
  if (!Number.isInteger(p.minFirstWave) || p.minFirstWave < 1) throw bad('minFirstWave must be a positive integer');
  if (!(p.successRatio > 0 && p.successRatio <= 1)) throw bad('successRatio must be in (0, 1]');
  if (!(p.failureRatio >= 0 && p.failureRatio < 1)) throw bad('failureRatio must be in [0, 1)');
  if (!Number.isInteger(p.minFinished) || p.minFinished < 1) throw bad('minFinished must be a positive integer');
  if (!(p.notifyPerSecond > 0)) throw bad('notifyPerSecond must be positive');
  if (!(Number.isInteger(p.jitterMs) && p.jitterMs >= 0 && p.jitterMs <= 3_600_000)) throw bad('jitterMs must be 0-3600000');
  return p;
}

/**
 * Splits `deviceIds` into waves. The order is a hash of rollout salt and id,
 * so the first small wave is a fair sample rather than the alphabetically
 * first devices, and recomputing gives the same answer. Devices in `offline`
 * go after every online one: a wave advances only on its success ratio, so an
 * offline board in a small early wave would hold the whole rollout until it
 * came back, while in the last wave it simply updates when it returns.
 * Empty waves are dropped.
 */
export function splitIntoWaves(deviceIds: string[], policy: RolloutPolicy, salt: string, offline: ReadonlySet<string> = new Set()): string[][] {
  // Each key once, not twice per comparison: a 1,000-device group is ~10,000 comparisons.
  const key = new Map(deviceIds.map((id) => [id, createHash('sha256').update(salt).update('\0').update(id).digest('hex')]));
  const rank = (id: string) => (offline.has(id) ? 1 : 0);
  const order = [...deviceIds].sort((a, b) => rank(a) - rank(b) || (key.get(a)! < key.get(b)! ? -1 : 1));
  const n = order.length;
  const waves: string[][] = [];
  let done = 0;
  policy.waves.forEach((f, i) => {
    let upTo = Math.ceil(f * n);
    if (i === 0) upTo = Math.max(upTo, policy.minFirstWave);
    upTo = Math.min(n, Math.max(done, upTo));
    if (upTo > done) waves.push(order.slice(done, upTo));
    done = upTo;
  });
  return waves;
}

export type RolloutDecision =
  | { kind: 'none' }
  | { kind: 'pause'; reason: string }
  | { kind: 'advance' }
  | { kind: 'complete' };

export function totals(counts: WaveCounts[]): { succeeded: number; failed: number; finished: number } {
  let succeeded = 0;
  let failed = 0;
  for (const w of counts) {
    succeeded += w.byState.succeeded ?? 0;
    for (const s of FAILURE_STATES) failed += w.byState[s] ?? 0;
  }
  return { succeeded, failed, finished: succeeded + failed };
}

/** What a running rollout at `wave` should do now. Failures are judged first: a bad release must not advance. */
export function decide(policy: RolloutPolicy, wave: number, counts: WaveCounts[]): RolloutDecision {
  const t = totals(counts);
  if (t.finished >= policy.minFinished && t.failed / t.finished > policy.failureRatio) {
    return { kind: 'pause', reason: `${t.failed} of ${t.finished} finished devices failed, above the ${Math.round(policy.failureRatio * 100)}% threshold` };
  }
  const w = counts[wave];
  if (!w) return { kind: 'complete' };
  if ((w.byState.succeeded ?? 0) / w.size >= policy.successRatio) return wave + 1 >= counts.length ? { kind: 'complete' } : { kind: 'advance' };
  return { kind: 'none' };
}
