// Rollouts, their waves and each targeted device's progress. The rollout
// engine keeps no state of its own beyond timers: everything it decides from
// is here, which is what lets a rollout continue after a restart.

import type Database from 'better-sqlite3';
import type { Db } from './fleet-db.js';

export type RolloutState = 'running' | 'paused' | 'completed' | 'canceled';

export interface RolloutPolicy {
  /** Cumulative fractions of the group, ascending, ending at 1 (e.g. [0.01, 0.1, 0.5, 1]). */
  waves: number[];
  /** The first wave has at least this many devices (or the whole group when smaller). */
  minFirstWave: number;
  /** A wave is done when this fraction of its devices succeeded. */
  successRatio: number;
  /** Pause when failures / finished exceeds this... */
  failureRatio: number;
  /** ...once at least this many devices of the rollout have finished. */
  minFinished: number;
  notifyPerSecond: number;
  jitterMs: number;
}

export interface RolloutRecord extends RolloutPolicy {
  id: number;
  seq: number;
  group: string;
  state: RolloutState;
  wave: number;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface WaveRecord { wave: number; size: number; startedAt: number | null; finishedAt: number | null }

export interface RolloutDeviceRecord {
  deviceId: string;
  wave: number;
  /** 'pending' (not told yet), 'notified', a progress step, or a terminal state. */
  state: string;
  progress: number;
  why: string | null;
  notifiedAt: number | null;
  updatedAt: number;
}

export interface WaveCounts { wave: number; size: number; byState: Record<string, number> }

interface RolloutRow {
  id: number; seq: number; grp: string; waves: string; success_ratio: number; failure_ratio: number; min_finished: number;
  notify_per_second: number; jitter_ms: number; state: RolloutState; wave: number; reason: string | null; created_at: number; updated_at: number;
}

export class RolloutStore {
  // Device reports arrive by the thousand during a rollout: statements are compiled once.
  private readonly statements = new Map<string, Database.Statement>();
  constructor(private readonly db: Db) {}

  private q(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** Creates a rollout with its device list already split into waves. */
  create(seq: number, group: string, policy: RolloutPolicy, waves: string[][]): RolloutRecord {
    const now = Date.now();
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(`INSERT INTO rollouts (seq, grp, waves, success_ratio, failure_ratio, min_finished, notify_per_second, jitter_ms, state, wave, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', 0, ?, ?)`)
        .run(seq, group, JSON.stringify({ waves: policy.waves, minFirstWave: policy.minFirstWave }), policy.successRatio, policy.failureRatio,
          policy.minFinished, policy.notifyPerSecond, policy.jitterMs, now, now);
      const id = Number(lastInsertRowid);
      const addWave = this.db.prepare('INSERT INTO rollout_waves (rollout_id, wave, size, started_at) VALUES (?, ?, ?, ?)');
      const addDevice = this.db.prepare("INSERT INTO rollout_devices (rollout_id, device_id, wave, state, updated_at) VALUES (?, ?, ?, 'pending', ?)");
      waves.forEach((ids, w) => {
        addWave.run(id, w, ids.length, w === 0 ? now : null);
        for (const d of ids) addDevice.run(id, d, w, now);
      });
      return this.get(id)!;
    })();
  }

  get(id: number): RolloutRecord | null {
    const r = this.q('SELECT * FROM rollouts WHERE id = ?').get(id) as RolloutRow | undefined;
    return r ? toRollout(r) : null;
  }

  list(): RolloutRecord[] {
    return (this.q('SELECT * FROM rollouts ORDER BY id DESC').all() as RolloutRow[]).map(toRollout);
  }

  active(): RolloutRecord[] {
    return (this.q("SELECT * FROM rollouts WHERE state IN ('running', 'paused') ORDER BY id").all() as RolloutRow[]).map(toRollout);
  }

  setState(id: number, state: RolloutState, reason: string | null): void {
    this.q('UPDATE rollouts SET state = ?, reason = ?, updated_at = ? WHERE id = ?').run(state, reason, Date.now(), id);
  }

  /** Marks wave `from` finished and `from + 1` started (if there is one). */
  advanceWave(id: number, from: number): void {
    const now = Date.now();
    this.db.transaction(() => {
      this.q('UPDATE rollout_waves SET finished_at = ? WHERE rollout_id = ? AND wave = ?').run(now, id, from);
      this.q('UPDATE rollout_waves SET started_at = ? WHERE rollout_id = ? AND wave = ?').run(now, id, from + 1);
      this.q('UPDATE rollouts SET wave = ?, updated_at = ? WHERE id = ?').run(from + 1, now, id);
    })();
  }

  waves(id: number): WaveRecord[] {
    return (this.q('SELECT wave, size, started_at, finished_at FROM rollout_waves WHERE rollout_id = ? ORDER BY wave').all(id) as Array<{
      wave: number; size: number; started_at: number | null; finished_at: number | null;
    }>).map((w) => ({ wave: w.wave, size: w.size, startedAt: w.started_at, finishedAt: w.finished_at }));
  }

  devices(id: number, filter: { wave?: number; state?: string } = {}): RolloutDeviceRecord[] {
    let sql = 'SELECT * FROM rollout_devices WHERE rollout_id = ?';
    const args: Array<string | number> = [id];
    if (filter.wave !== undefined) { sql += ' AND wave = ?'; args.push(filter.wave); }
    if (filter.state !== undefined) { sql += ' AND state = ?'; args.push(filter.state); }
    return (this.q(sql + ' ORDER BY wave, device_id').all(...args) as DeviceRow[]).map(toDevice);
  }

  device(id: number, deviceId: string): RolloutDeviceRecord | null {
    const r = this.q('SELECT * FROM rollout_devices WHERE rollout_id = ? AND device_id = ?').get(id, deviceId) as DeviceRow | undefined;
    return r ? toDevice(r) : null;
  }

  /** Completed rollouts of release `seq` that include `deviceId` (a device that was offline may finish after its rollout did). */
  completedWith(deviceId: string, seq: number): RolloutRecord[] {
    const rows = this.q(`SELECT r.* FROM rollouts r JOIN rollout_devices d ON d.rollout_id = r.id
      WHERE d.device_id = ? AND r.seq = ? AND r.state = 'completed'`).all(deviceId, seq) as RolloutRow[];
    return rows.map(toRollout);
  }

  /** Active rollouts that include `deviceId`, with its record. */
  activeFor(deviceId: string): Array<{ rollout: RolloutRecord; device: RolloutDeviceRecord }> {
    const rows = this.db
      .prepare(`SELECT r.id FROM rollouts r JOIN rollout_devices d ON d.rollout_id = r.id
        WHERE d.device_id = ? AND r.state IN ('running', 'paused') ORDER BY r.id`)
      .all(deviceId) as Array<{ id: number }>;
    return rows.map((r) => ({ rollout: this.get(r.id)!, device: this.device(r.id, deviceId)! }));
  }

  markNotified(id: number, deviceId: string): void {
    this.q("UPDATE rollout_devices SET state = CASE WHEN state = 'pending' THEN 'notified' ELSE state END, notified_at = ?, updated_at = ? WHERE rollout_id = ? AND device_id = ?")
      .run(Date.now(), Date.now(), id, deviceId);
  }

  updateDevice(id: number, deviceId: string, state: string, progress: number, why: string | null): void {
    this.q('UPDATE rollout_devices SET state = ?, progress = ?, why = ?, updated_at = ? WHERE rollout_id = ? AND device_id = ?')
      .run(state, progress, why, Date.now(), id, deviceId);
  }

  counts(id: number): WaveCounts[] {
    const sizes = this.waves(id);
    const rows = this.q('SELECT wave, state, count(*) AS n FROM rollout_devices WHERE rollout_id = ? GROUP BY wave, state').all(id) as Array<{ wave: number; state: string; n: number }>;
    const out = sizes.map((w) => ({ wave: w.wave, size: w.size, byState: {} as Record<string, number> }));
    for (const r of rows) out[r.wave].byState[r.state] = r.n;
    return out;
  }
}

interface DeviceRow { device_id: string; wave: number; state: string; progress: number; why: string | null; notified_at: number | null; updated_at: number }

function toDevice(r: DeviceRow): RolloutDeviceRecord {
  return { deviceId: r.device_id, wave: r.wave, state: r.state, progress: r.progress, why: r.why, notifiedAt: r.notified_at, updatedAt: r.updated_at };
}

function toRollout(r: RolloutRow): RolloutRecord {
  const w = JSON.parse(r.waves) as { waves: number[]; minFirstWave: number };
  return {
    id: r.id, seq: r.seq, group: r.grp, state: r.state, wave: r.wave, reason: r.reason, createdAt: r.created_at, updatedAt: r.updated_at,
    waves: w.waves, minFirstWave: w.minFirstWave, successRatio: r.success_ratio, failureRatio: r.failure_ratio, minFinished: r.min_finished,
    notifyPerSecond: r.notify_per_second, jitterMs: r.jitter_ms,
  };
}
