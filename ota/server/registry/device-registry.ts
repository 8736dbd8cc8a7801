// Devices as the broker last told us: upserted from their retained state and
// online messages. Tags come from the device (provisioned) or the operator.

import type { StateMessage } from '../../common/messages.js';
import type { Db } from './fleet-db.js';

export interface DeviceRecord {
  id: string;
  app: string | null;
  seq: number;
  slot: string | null;
  port: string | null;
  mpy: string | null;
  mem: number | null;
  flash: number | null;
  online: boolean;
  lastSeen: number;
  lastSeq: number | null;
  lastState: string | null;
  lastWhy: string | null;
  tags: string[];
}

interface Row {
  id: string; app: string | null; seq: number; slot: string | null; port: string | null; mpy: string | null;
  mem: number | null; flash: number | null; online: number; last_seen: number;
  last_seq: number | null; last_state: string | null; last_why: string | null; tags: string | null;
}

export class DeviceRegistry {
  private readonly upsertState;
  private readonly upsertOnline;
  private readonly addTag;
  private readonly countStmt;

  constructor(private readonly db: Db) {
    this.upsertState = db.prepare(`INSERT INTO devices (id, app, seq, slot, port, mpy, mem, flash, online, last_seen, last_seq, last_state, last_why)
      VALUES (@id, @app, @seq, @slot, @port, @mpy, @mem, @flash, 1, @now, @last_seq, @last_state, @last_why)
      ON CONFLICT(id) DO UPDATE SET app=@app, seq=@seq, slot=@slot, port=@port, mpy=@mpy, mem=@mem, flash=@flash,
        last_seen=@now, last_seq=@last_seq, last_state=@last_state, last_why=@last_why`);
    this.upsertOnline = db.prepare(`INSERT INTO devices (id, online, last_seen) VALUES (?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET online=excluded.online, last_seen=excluded.last_seen`);
    this.addTag = db.prepare('INSERT OR IGNORE INTO device_tags (device_id, tag) VALUES (?, ?)');
    this.countStmt = db.prepare(`SELECT count(*) AS total, sum(d.seq >= ?) AS atSeq FROM devices d JOIN device_tags t ON t.device_id = d.id WHERE t.tag = ?`);
  }

  recordState(id: string, s: StateMessage): void {
    this.db.transaction(() => {
      this.upsertState.run({
        id, app: s.app, seq: s.seq, slot: s.slot, port: s.port, mpy: s.mpy, mem: s.mem, flash: s.flash, now: Date.now(),
        last_seq: s.last?.seq ?? null, last_state: s.last?.st ?? null, last_why: s.last?.why ?? null,
      });
      for (const t of s.tags ?? []) this.addTag.run(id, t);
    })();
  }

  recordOnline(id: string, online: boolean): void {
    this.upsertOnline.run(id, online ? 1 : 0, Date.now());
  }

  tag(ids: string[], tag: string): void {
    this.db.transaction(() => {
      for (const id of ids) {
        this.upsertOnline.run(id, this.get(id)?.online ? 1 : 0, Date.now());
        this.addTag.run(id, tag);
      }
    })();
  }

  /** How many devices carry `tag`, and how many of those run release `seq` or later. Cheap enough to call per event. */
  count(tag: string, seq = 0): { total: number; atSeq: number } {
    const r = this.countStmt.get(seq, tag) as { total: number; atSeq: number | null };
    return { total: r.total, atSeq: r.atSeq ?? 0 };
  }

  get(id: string): DeviceRecord | null {
    return this.list({ id })[0] ?? null;
  }

  /** Devices, optionally only those carrying `tag`, sorted by id. */
  list(filter: { tag?: string; id?: string } = {}): DeviceRecord[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.tag) {
      where.push('d.id IN (SELECT device_id FROM device_tags WHERE tag = ?)');
      args.push(filter.tag);
    }
    if (filter.id) {
      where.push('d.id = ?');
      args.push(filter.id);
    }
    const rows = this.db
      .prepare(`SELECT d.*, (SELECT group_concat(tag, char(9)) FROM device_tags t WHERE t.device_id = d.id) AS tags
        FROM devices d ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY d.id`)
      .all(...args) as Row[];
    return rows.map((r) => ({
      id: r.id, app: r.app, seq: r.seq, slot: r.slot, port: r.port, mpy: r.mpy, mem: r.mem, flash: r.flash,
      online: r.online === 1, lastSeen: r.last_seen, lastSeq: r.last_seq, lastState: r.last_state, lastWhy: r.last_why,
      tags: r.tags ? r.tags.split('\t').sort() : [],
    }));
  }
}
