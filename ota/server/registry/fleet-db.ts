// The fleet registry: one SQLite file (WAL, so the dashboard can read while
// the rollout engine writes). Schema changes are numbered migrations run at
// open, so a database from an older Mote keeps working.

import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Db = Database.Database;

const MIGRATIONS: string[] = [
  `CREATE TABLE devices (
     id TEXT PRIMARY KEY, app TEXT, seq INTEGER NOT NULL DEFAULT 0, slot TEXT, port TEXT, mpy TEXT,
     mem INTEGER, flash INTEGER, online INTEGER NOT NULL DEFAULT 0, last_seen INTEGER NOT NULL,
     last_seq INTEGER, last_state TEXT, last_why TEXT);
   CREATE TABLE device_tags (device_id TEXT NOT NULL REFERENCES devices(id), tag TEXT NOT NULL, PRIMARY KEY (device_id, tag));
   CREATE INDEX device_tags_tag ON device_tags(tag);
   CREATE TABLE releases (
     seq INTEGER PRIMARY KEY, app TEXT NOT NULL, port TEXT NOT NULL, mpy TEXT NOT NULL,
     manifest TEXT NOT NULL, signature TEXT NOT NULL, source TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE TABLE rollouts (
     id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL REFERENCES releases(seq), grp TEXT NOT NULL,
     waves TEXT NOT NULL, success_ratio REAL NOT NULL, failure_ratio REAL NOT NULL, min_finished INTEGER NOT NULL,
     notify_per_second REAL NOT NULL, jitter_ms INTEGER NOT NULL,
     state TEXT NOT NULL, wave INTEGER NOT NULL DEFAULT 0, reason TEXT,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
   CREATE TABLE rollout_waves (rollout_id INTEGER NOT NULL REFERENCES rollouts(id), wave INTEGER NOT NULL,
     size INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER, PRIMARY KEY (rollout_id, wave));
   CREATE TABLE rollout_devices (
     rollout_id INTEGER NOT NULL REFERENCES rollouts(id), device_id TEXT NOT NULL, wave INTEGER NOT NULL,
     state TEXT NOT NULL, progress INTEGER NOT NULL DEFAULT 0, why TEXT, notified_at INTEGER, updated_at INTEGER NOT NULL,
     PRIMARY KEY (rollout_id, device_id));
   CREATE INDEX rollout_devices_device ON rollout_devices(device_id);
   CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
   -- The audit log is append-only: the database itself refuses edits.
   CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
   CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;`,
];

export function openFleetDb(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL under WAL survives a process crash (only an OS crash may lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
