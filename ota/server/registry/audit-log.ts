// Append-only record of what happened to the fleet: operator actions and
// rollout decisions, plus device failures (not every progress report).

import type { Db } from './fleet-db.js';

export interface AuditEntry {
  id: number;
  ts: number;
  action: string;
  detail: Record<string, unknown>;
}

export class AuditLog {
  private readonly insert;
  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO audit (ts, action, detail) VALUES (?, ?, ?)');
  }

  append(action: string, detail: Record<string, unknown> = {}): void {
    this.insert.run(Date.now(), action, JSON.stringify(detail));
  }

  /** Newest first. */
  recent(limit = 200): AuditEntry[] {
    const rows = this.db.prepare('SELECT id, ts, action, detail FROM audit ORDER BY id DESC LIMIT ?').all(limit) as Array<{ id: number; ts: number; action: string; detail: string }>;
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
