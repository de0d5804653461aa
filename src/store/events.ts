import type Database from 'better-sqlite3'
import type { Json } from './audit.js'
import type { Db } from './db.js'

/** A point in time: epoch ms, an ISO 8601 string or a Date. */
export type When = number | string | Date

/** Epoch ms of a When; throws on an unparseable string or a non-finite number. */
export function toMs(when: When): number {
  const ms = typeof when === 'number' ? when : typeof when === 'string' ? Date.parse(when) : when.getTime()
  if (!Number.isFinite(ms)) throw new Error(`not a valid time: ${String(when)}`)
  return ms
}

export interface EventInput {
  at: When
  /** e.g. "alert.acknowledged", "robot.dispatched". */
  kind: string
  /** Who or what produced it: "monitor", "console:alice", ... */
  source: string
  subject?: string | null | undefined
  zone?: string | null | undefined
  detail?: Json | undefined
}

export interface StoredEvent {
  seq: number
  /** Epoch ms. */
  at: number
  kind: string
  source: string
  subject: string | null
  zone: string | null
  detail: Json
}

export interface EventQuery {
  kind?: string | undefined
  /** Inclusive lower bound. */
  since?: When | undefined
  /** Inclusive upper bound. */
  until?: When | undefined
  /** Default 100. */
  limit?: number | undefined
  /** The newest `limit` events, newest first (default: the oldest, oldest first). */
  newestFirst?: boolean | undefined
}

interface Row {
  seq: number
  at: number
  kind: string
  source: string
  subject: string | null
  zone: string | null
  detail: string
}

const fromRow = (r: Row): StoredEvent => ({ seq: r.seq, at: r.at, kind: r.kind, source: r.source, subject: r.subject, zone: r.zone, detail: JSON.parse(r.detail) as Json })

export function checkLimit(limit: number | undefined, fallback = 100): number {
  const n = limit ?? fallback
  if (!Number.isInteger(n) || n < 1) throw new Error(`limit must be a positive integer, got ${String(limit)}`)
  return n
}

/** Append-only event log (table `events`). Listing is oldest first (by time, then seq). */
export class EventStore {
  private readonly insert: Database.Statement<[number, string, string, string | null, string | null, string]>

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO events (at, kind, source, subject, zone, detail) VALUES (?, ?, ?, ?, ?, ?)')
  }

  append(e: EventInput): StoredEvent {
    if (e.kind === '') throw new Error('event needs a kind')
    if (e.source === '') throw new Error('event needs a source')
    const at = toMs(e.at)
    const detail = e.detail ?? null
    const text = JSON.stringify(detail)
    const info = this.insert.run(at, e.kind, e.source, e.subject ?? null, e.zone ?? null, text)
    return { seq: Number(info.lastInsertRowid), at, kind: e.kind, source: e.source, subject: e.subject ?? null, zone: e.zone ?? null, detail: JSON.parse(text) as Json }
  }

  list(q: EventQuery = {}): StoredEvent[] {
    const where: string[] = []
    const params: (string | number)[] = []
    if (q.kind !== undefined) (where.push('kind = ?'), params.push(q.kind))
    if (q.since !== undefined) (where.push('at >= ?'), params.push(toMs(q.since)))
    if (q.until !== undefined) (where.push('at <= ?'), params.push(toMs(q.until)))
    params.push(checkLimit(q.limit))
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${q.newestFirst === true ? 'at DESC, seq DESC' : 'at, seq'} LIMIT ?`
    return this.db.prepare<(string | number)[], Row>(sql).all(...params).map(fromRow)
  }

  /** Retention: delete events strictly before `ms`; returns how many. */
  purgeBefore(ms: When): number {
    return this.db.prepare('DELETE FROM events WHERE at < ?').run(toMs(ms)).changes
  }
}
