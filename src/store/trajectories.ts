import type { Db } from './db.js'
import { toMs, type When } from './events.js'

export interface TrajectoryPoint {
  /** Pseudonymous subject id, or a track id for an unknown person. */
  subject: string
  /** Epoch ms. */
  at: number
  /** Floor coordinates, metres. */
  x: number
  y: number
  zone: string | null
}

export interface TrajectoryOptions {
  /** Keep at most one point per subject per this many ms, unless the zone changed or it moved (default 1000). */
  minInterval_ms?: number
  /** A move of more than this many metres is always kept (default 0.5). */
  minMove_m?: number
  /** Kept points are buffered and written in one transaction per this many (default 500). */
  batchSize?: number
  /** Also flush the buffer this often, ms (default 1000; 0 = only by size, query or flush()). */
  flushInterval_ms?: number
}

export interface ZonePresence {
  subject: string
  /** Epoch ms of the first and last stored point in the zone within the window. */
  first: number
  last: number
  points: number
}

interface Row {
  subject: string
  at: number
  x: number
  y: number
  zone: string | null
}

/**
 * Downsampled trajectories (table `trajectory_points`). `add()` drops a point when the subject's last
 * kept point is less than `minInterval_ms` earlier, in the same zone, and no more than `minMove_m` away.
 * Kept points are buffered and inserted in batches; every query flushes first.
 */
export class TrajectoryStore {
  readonly minInterval_ms: number
  readonly minMove_m: number
  readonly batchSize: number
  private readonly lastKept = new Map<string, TrajectoryPoint>()
  private readonly pending: TrajectoryPoint[] = []
  private readonly insertMany: (points: readonly TrajectoryPoint[]) => void
  private readonly lastStored: (subject: string) => Row | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly db: Db,
    options: TrajectoryOptions = {},
  ) {
    this.minInterval_ms = options.minInterval_ms ?? 1000
    this.minMove_m = options.minMove_m ?? 0.5
    this.batchSize = options.batchSize ?? 500
    if (!(this.minInterval_ms >= 0) || !(this.minMove_m >= 0)) throw new Error('minInterval_ms and minMove_m must be >= 0')
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error('batchSize must be a positive integer')
    const insert = db.prepare<[string, number, number, number, string | null]>('INSERT INTO trajectory_points (subject, at, x, y, zone) VALUES (?, ?, ?, ?, ?)')
    this.insertMany = db.transaction((points: readonly TrajectoryPoint[]) => {
      for (const p of points) insert.run(p.subject, p.at, p.x, p.y, p.zone)
    })
    const last = db.prepare<[string], Row>('SELECT subject, at, x, y, zone FROM trajectory_points WHERE subject = ? ORDER BY at DESC LIMIT 1')
    this.lastStored = (s) => last.get(s)
    const every = options.flushInterval_ms ?? 1000
    if (every > 0) {
      this.timer = setInterval(() => this.flush(), every)
      this.timer.unref()
    }
  }

  /** Offer a point; returns true when it is kept (it is written at the next flush). */
  add(point: { subject: string; at: When; x: number; y: number; zone?: string | null | undefined }): boolean {
    if (point.subject === '') throw new Error('trajectory point needs a subject')
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) throw new Error(`trajectory point for ${point.subject}: x and y must be finite`)
    const p: TrajectoryPoint = { subject: point.subject, at: toMs(point.at), x: point.x, y: point.y, zone: point.zone ?? null }
    let prev = this.lastKept.get(p.subject)
    if (prev === undefined) {
      const r = this.lastStored(p.subject) // after a restart, continue from what is on disk
      if (r !== undefined) prev = { ...r }
    }
    if (prev !== undefined && p.at - prev.at < this.minInterval_ms && p.zone === prev.zone && Math.hypot(p.x - prev.x, p.y - prev.y) <= this.minMove_m) {
      return false
    }
    this.lastKept.set(p.subject, p)
    this.pending.push(p)
    if (this.pending.length >= this.batchSize) this.flush()
    return true
  }

  /** Write buffered points in one transaction; returns how many. */
  flush(): number {
    const n = this.pending.length
    if (n === 0) return 0
    this.insertMany(this.pending)
    this.pending.length = 0
    return n
  }

  /** Where was `subject` between t1 and t2 (inclusive): its stored points, oldest first. */
  where(subject: string, t1: When, t2: When): TrajectoryPoint[] {
    this.flush()
    return this.db
      .prepare<[string, number, number], Row>('SELECT subject, at, x, y, zone FROM trajectory_points WHERE subject = ? AND at BETWEEN ? AND ? ORDER BY at, rowid')
      .all(subject, toMs(t1), toMs(t2))
      .map((r) => ({ ...r }))
  }

  /** Who was in `zone` between t1 and t2 (inclusive): distinct subjects, by first time seen there. */
  who(zone: string, t1: When, t2: When): ZonePresence[] {
    this.flush()
    return this.db
      .prepare<[string, number, number], ZonePresence>(
        'SELECT subject, MIN(at) AS first, MAX(at) AS last, COUNT(*) AS points FROM trajectory_points WHERE zone = ? AND at BETWEEN ? AND ? GROUP BY subject ORDER BY first, subject',
      )
      .all(zone, toMs(t1), toMs(t2))
  }

  /** Retention: delete points strictly before `ms`; returns how many. */
  purgeBefore(ms: When): number {
    this.flush()
    const cutoff = toMs(ms)
    for (const [s, p] of this.lastKept) if (p.at < cutoff) this.lastKept.delete(s)
    return this.db.prepare('DELETE FROM trajectory_points WHERE at < ?').run(cutoff).changes
  }

  /** Flush and stop the timer (the database stays open). */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    this.flush()
  }
}
