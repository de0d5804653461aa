/**
 * The outbox's on-disk queue: one SQLite table (WAL) of encoded contract messages in publish order,
 * bounded by rows and by bytes (payload plus topic). When a bound is passed it drops by value, oldest
 * first within each tier:
 *   1. QoS 0, not retained (sightings: the next frame says nearly the same),
 *   2. retained messages that a newer queued message on the same topic supersedes,
 *   3. anything not retained,
 *   4. anything (the newest state of a retained topic goes last).
 * Rows the drain has in flight (`protectedThrough`) are never dropped. Synchronous, like better-sqlite3.
 */
import Database from 'better-sqlite3'

type Db = Database.Database

export interface NewMessage {
  topic: string
  payload: Buffer
  qos: 0 | 1
  retain: boolean
}

export interface QueuedMessage extends NewMessage {
  seq: number
  /** Epoch ms the message entered the queue. */
  enqueuedAt: number
}

export interface QueueBounds {
  maxRows: number
  maxBytes: number
}

interface Row {
  seq: number
  topic: string
  payload: Buffer
  qos: number
  retain: number
  enqueued_at: number
}

interface Candidate {
  seq: number
  topic: string
  size: number
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL,
  retain INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_retained ON outbox (topic, seq) WHERE retain = 1;
CREATE INDEX IF NOT EXISTS outbox_qos0 ON outbox (seq) WHERE qos = 0 AND retain = 0;
`

const SIZE = 'length(payload) + length(CAST(topic AS BLOB))'

/** The drop tiers, in order; each selects candidates after the protected prefix, oldest first. */
const TIERS = [
  `SELECT seq, topic, ${SIZE} AS size FROM outbox WHERE seq > ? AND qos = 0 AND retain = 0 ORDER BY seq LIMIT ?`,
  `SELECT seq, topic, ${SIZE} AS size FROM outbox q WHERE seq > ? AND retain = 1
     AND EXISTS (SELECT 1 FROM outbox n WHERE n.retain = 1 AND n.topic = q.topic AND n.seq > q.seq) ORDER BY seq LIMIT ?`,
  `SELECT seq, topic, ${SIZE} AS size FROM outbox WHERE seq > ? AND retain = 0 ORDER BY seq LIMIT ?`,
  `SELECT seq, topic, ${SIZE} AS size FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`,
]

export function messageSize(m: Pick<NewMessage, 'topic' | 'payload'>): number {
  return m.payload.length + Buffer.byteLength(m.topic)
}

export class DiskQueue {
  private readonly db: Db
  private readonly insert: Database.Statement<[string, Buffer, number, number, number]>
  private readonly insertAt: Database.Statement<[number, string, Buffer, number, number, number]>
  private readonly head: Database.Statement<[number], Row>
  private readonly minSeq: Database.Statement<[], { seq: number | null }>
  private readonly deleteOne: Database.Statement<[number], { size: number }>
  private readonly tiers: Array<Database.Statement<[number, number], Candidate>>
  private count = 0
  private size = 0
  /** The drain has rows up to this seq in flight: they are not dropped. 0 when none. */
  protectedThrough = 0

  constructor(
    file: string,
    readonly bounds: QueueBounds,
  ) {
    if (!(bounds.maxRows >= 1) || !(bounds.maxBytes >= 1)) throw new Error(`outbox queue bounds must be positive, got ${JSON.stringify(bounds)}`)
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.exec(SCHEMA)
    this.insert = this.db.prepare('INSERT INTO outbox (topic, payload, qos, retain, enqueued_at) VALUES (?, ?, ?, ?, ?)')
    this.insertAt = this.db.prepare('INSERT INTO outbox (seq, topic, payload, qos, retain, enqueued_at) VALUES (?, ?, ?, ?, ?, ?)')
    this.head = this.db.prepare('SELECT * FROM outbox ORDER BY seq LIMIT ?')
    this.minSeq = this.db.prepare('SELECT MIN(seq) AS seq FROM outbox')
    this.deleteOne = this.db.prepare(`DELETE FROM outbox WHERE seq = ? RETURNING ${SIZE} AS size`)
    this.tiers = TIERS.map((sql) => this.db.prepare(sql))
    const totals = this.db.prepare<[], { n: number; bytes: number }>(`SELECT COUNT(*) AS n, COALESCE(SUM(${SIZE}), 0) AS bytes FROM outbox`).get()
    this.count = totals?.n ?? 0
    this.size = totals?.bytes ?? 0
  }

  /** Messages waiting. */
  get rows(): number {
    return this.count
  }

  /** Bytes waiting (payloads plus topics). */
  get bytes(): number {
    return this.size
  }

  /** Append at the tail; returns the topics of the messages dropped to stay within the bounds. */
  append(m: NewMessage, now: number): string[] {
    return this.db.transaction(() => {
      this.insert.run(m.topic, m.payload, m.qos, m.retain ? 1 : 0, now)
      this.count++
      this.size += messageSize(m)
      return this.enforce()
    })()
  }

  /**
   * Put messages back at the head, before everything queued, in the order given (a direct publish
   * the connection failed to write). Returns the topics dropped to stay within the bounds.
   */
  prepend(ms: readonly QueuedMessageInput[], now: number): string[] {
    if (ms.length === 0) return []
    return this.db.transaction(() => {
      const min = this.minSeq.get()?.seq ?? null
      ms.forEach((m, i) => {
        if (min === null) this.insert.run(m.topic, m.payload, m.qos, m.retain ? 1 : 0, m.enqueuedAt ?? now)
        else this.insertAt.run(min - ms.length + i, m.topic, m.payload, m.qos, m.retain ? 1 : 0, m.enqueuedAt ?? now)
        this.count++
        this.size += messageSize(m)
      })
      return this.enforce()
    })()
  }

  /** The oldest `limit` messages, in order. */
  peek(limit: number): QueuedMessage[] {
    return this.head.all(limit).map((r) => ({
      seq: r.seq,
      topic: r.topic,
      payload: r.payload,
      qos: r.qos === 1 ? 1 : 0,
      retain: r.retain === 1,
      enqueuedAt: r.enqueued_at,
    }))
  }

  /** Delete delivered messages in one transaction; seqs already gone are ignored. Returns how many went. */
  remove(seqs: readonly number[]): number {
    if (seqs.length === 0) return 0
    return this.db.transaction(() => {
      let removed = 0
      for (const seq of seqs) {
        const row = this.deleteOne.get(seq)
        if (row === undefined) continue
        removed++
        this.count--
        this.size -= row.size
      }
      return removed
    })()
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  get open(): boolean {
    return this.db.open
  }

  private over(): boolean {
    return this.count > this.bounds.maxRows || this.size > this.bounds.maxBytes
  }

  /** Drop by tier until within the bounds; runs inside the caller's transaction. */
  private enforce(): string[] {
    const dropped: string[] = []
    for (const tier of this.tiers) {
      while (this.over()) {
        const limit = Math.min(1000, Math.max(16, this.count - this.bounds.maxRows))
        const candidates = tier.all(this.protectedThrough, limit)
        for (const c of candidates) {
          if (!this.over()) break
          if (this.deleteOne.get(c.seq) === undefined) continue
          this.count--
          this.size -= c.size
          dropped.push(c.topic)
        }
        if (candidates.length < limit) break
      }
      if (!this.over()) break
    }
    return dropped
  }
}

/** A message to put back at the head, keeping its original enqueue time when it had one. */
export interface QueuedMessageInput extends NewMessage {
  enqueuedAt?: number
}
