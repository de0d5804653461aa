import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'

export type Db = Database.Database

/** One step of the store's schema; `version` is the `PRAGMA user_version` it leaves behind. */
export interface Migration {
  version: number
  description: string
  sql: string
}

const ZERO_HASH_SQL = `'${'0'.repeat(64)}'`

/**
 * The store's schema, oldest first. Never edit a released step: add a new one. Each runs in its own
 * transaction together with the `user_version` bump, so a crash leaves the file at a known version.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'append-only, hash-chained audit log',
    sql: `
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT,
  reason    TEXT,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL UNIQUE,
  hash      TEXT NOT NULL UNIQUE
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${ZERO_HASH_SQL})
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: an entry must follow the last one'); END;
`,
  },
  {
    version: 2,
    description: 'alerts, events and downsampled trajectories',
    sql: `
CREATE TABLE alerts (
  id         TEXT PRIMARY KEY,
  state      TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
  severity   TEXT NOT NULL,
  rule       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  first_at   INTEGER NOT NULL,
  last_at    INTEGER NOT NULL,
  zone       TEXT,
  dedup_key  TEXT,
  json       TEXT NOT NULL
);
CREATE INDEX alerts_state_last ON alerts (state, last_at);
CREATE INDEX alerts_last ON alerts (last_at);
CREATE INDEX alerts_first ON alerts (first_at);
CREATE INDEX alerts_rule ON alerts (rule);
CREATE INDEX alerts_zone ON alerts (zone);
CREATE INDEX alerts_dedup_open ON alerts (dedup_key, last_at) WHERE state <> 'resolved';
CREATE TABLE events (
  seq     INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  source  TEXT NOT NULL,
  subject TEXT,
  zone    TEXT,
  detail  TEXT NOT NULL
);
CREATE INDEX events_at ON events (at);
CREATE INDEX events_kind_at ON events (kind, at);
CREATE TABLE trajectory_points (
  subject TEXT NOT NULL,
  at      INTEGER NOT NULL,
  x       REAL NOT NULL,
  y       REAL NOT NULL,
  zone    TEXT
);
CREATE INDEX trajectory_subject_at ON trajectory_points (subject, at);
CREATE INDEX trajectory_zone_at ON trajectory_points (zone, at);
CREATE INDEX trajectory_at ON trajectory_points (at);
`,
  },
  {
    version: 3,
    description: 'evidence snapshots of alerts',
    sql: `
CREATE TABLE evidence (
  alert_id    TEXT NOT NULL,
  ref         TEXT NOT NULL,
  camera      TEXT NOT NULL,
  captured_at INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  jpeg        BLOB NOT NULL,
  PRIMARY KEY (alert_id, ref)
);
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is write-once: UPDATE refused'); END;
`,
  },
  {
    version: 4,
    description: 'console users and the sealed identity directory',
    sql: `
CREATE TABLE console_users (
  name        TEXT PRIMARY KEY,
  role        TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'admin')),
  secret_hash TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('venue', 'console')),
  created_at  INTEGER NOT NULL
);
CREATE TABLE identities (
  subject TEXT PRIMARY KEY,
  key_id  TEXT NOT NULL,
  sealed  BLOB NOT NULL
);
`,
  },
]

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Bring the file up to SCHEMA_VERSION; refuses a file written by a newer build. Returns the version found. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const found = schemaVersion(db)
  const newest = migrations.at(-1)?.version ?? 0
  if (found > newest) throw new Error(`store schema version ${found} is newer than this build knows (${newest})`)
  for (const m of migrations) {
    if (m.version <= found) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
  return found
}

export interface OpenOptions {
  /** Fail instead of creating a new file (default false). */
  mustExist?: boolean
  /** Run the migrations (default true); false opens the file as it is, e.g. to inspect it. */
  migrate?: boolean
}

/** Open (or create) the store's SQLite file: WAL, synchronous NORMAL, foreign keys on, schema migrated. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (options.mustExist === true && file !== ':memory:' && !existsSync(file)) throw new Error(`${file}: no such file`)
  const db = new Database(file, { fileMustExist: options.mustExist === true })
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    if (options.migrate !== false) migrate(db)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)?.n === 1
}
