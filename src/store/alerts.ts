import type { Alert } from '../contract/index.js'
import type { Db } from './db.js'
import { EventStore, checkLimit, toMs, type When } from './events.js'

export type AlertState = Alert['state']

/** Legal state changes; staying in the same state is always allowed (a dedup update). */
const NEXT: Record<AlertState, readonly AlertState[]> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
}

export class AlertTransitionError extends Error {
  constructor(
    readonly alertId: string,
    readonly from: AlertState,
    readonly to: AlertState,
  ) {
    super(`alert ${alertId}: cannot go from ${from} to ${to}${from === 'resolved' ? ' (a resolved alert is final)' : ''}`)
    this.name = 'AlertTransitionError'
  }
}

export function canTransition(from: AlertState, to: AlertState): boolean {
  return from === to || NEXT[from].includes(to)
}

/**
 * A dedup key from rule + subjects (sorted) + zone. Callers may build their own; the store only
 * compares the text.
 */
export function alertDedupKey(a: Pick<Alert, 'rule' | 'subjects' | 'zone'>): string {
  return JSON.stringify([a.rule, [...a.subjects].sort(), a.zone])
}

export interface UpsertOptions {
  /** Stored in `dedup_key`; when omitted on an update, the stored key is kept. */
  dedupKey?: string | null | undefined
  /** `source` of the event appended on a new alert or a state change (default "monitor"). */
  source?: string | undefined
}

export interface AlertQuery {
  state?: AlertState | undefined
  /** Alerts whose lastAt is at or after this. */
  since?: When | undefined
  /** Alerts whose firstAt is at or before this. */
  until?: When | undefined
  /** Default 100. */
  limit?: number | undefined
}

interface Row {
  id: string
  state: AlertState
  dedup_key: string | null
  json: string
}

const parse = (r: Row): Alert => JSON.parse(r.json) as Alert
const iso = (w: When): string => new Date(toMs(w)).toISOString()

/**
 * Alerts (table `alerts`): the full contract payload as JSON plus indexed columns (state, severity,
 * rule, kind, first_at/last_at in epoch ms, zone, dedup_key). Every creation and state change also
 * appends an event (kinds `alert.open`, `alert.acknowledged`, `alert.resolved`) in the same transaction.
 */
export class AlertStore {
  readonly events: EventStore
  private readonly getRow: (id: string) => Row | undefined
  private readonly write: (a: Alert, dedupKey: string | null) => void
  private readonly upsertTx: (a: Alert, o: UpsertOptions) => Alert

  constructor(
    private readonly db: Db,
    events?: EventStore,
  ) {
    this.events = events ?? new EventStore(db)
    const get = db.prepare<[string], Row>('SELECT id, state, dedup_key, json FROM alerts WHERE id = ?')
    this.getRow = (id) => get.get(id)
    const put = db.prepare(`INSERT INTO alerts (id, state, severity, rule, kind, first_at, last_at, zone, dedup_key, json)
      VALUES (@id, @state, @severity, @rule, @kind, @first_at, @last_at, @zone, @dedup_key, @json)
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, severity = excluded.severity, rule = excluded.rule, kind = excluded.kind,
        first_at = excluded.first_at, last_at = excluded.last_at, zone = excluded.zone, dedup_key = excluded.dedup_key, json = excluded.json`)
    this.write = (a, dedupKey) =>
      void put.run({ id: a.id, state: a.state, severity: a.severity, rule: a.rule, kind: a.kind, first_at: toMs(a.firstAt), last_at: toMs(a.lastAt), zone: a.zone, dedup_key: dedupKey, json: JSON.stringify(a) })
    const tx = db.transaction((a: Alert, o: UpsertOptions): Alert => {
      const prev = this.getRow(a.id)
      if (prev !== undefined && !canTransition(prev.state, a.state)) throw new AlertTransitionError(a.id, prev.state, a.state)
      const key = o.dedupKey !== undefined ? o.dedupKey : (prev?.dedup_key ?? null)
      this.write(a, key)
      if (prev === undefined || prev.state !== a.state) {
        const by = a.state === 'acknowledged' ? a.acknowledged?.by : a.state === 'resolved' ? a.resolved?.by : undefined
        const at = a.state === 'acknowledged' ? a.acknowledged?.at : a.state === 'resolved' ? a.resolved?.at : undefined
        this.event(a, prev?.state ?? null, o.source ?? by ?? 'monitor', at ?? a.lastAt, by)
      }
      return a
    })
    this.upsertTx = (a, o) => tx.immediate(a, o)
  }

  private event(a: Alert, from: AlertState | null, source: string, at: When, by?: string, note?: string): void {
    this.events.append({
      at,
      kind: `alert.${a.state}`,
      source,
      subject: a.subjects.length === 1 ? a.subjects[0] : null,
      zone: a.zone,
      detail: { alertId: a.id, rule: a.rule, severity: a.severity, from, to: a.state, ...(by !== undefined ? { by } : {}), ...(note !== undefined ? { note } : {}) },
    })
  }

  /** Insert or replace by id. A state change must be legal (see `canTransition`), else AlertTransitionError. */
  upsert(alert: Alert, options: UpsertOptions = {}): Alert {
    return this.upsertTx(alert, options)
  }

  get(id: string): Alert | undefined {
    const r = this.getRow(id)
    return r === undefined ? undefined : parse(r)
  }

  /** Open and acknowledged alerts, newest (lastAt) first: what a restarted monitor picks up again. */
  open(): Alert[] {
    return this.db.prepare<[], Row>("SELECT id, state, dedup_key, json FROM alerts WHERE state IN ('open', 'acknowledged') ORDER BY last_at DESC, id").all().map(parse)
  }

  /** `open()` with each alert's dedup key: what the alert manager rebuilds its index from. */
  openKeyed(): { alert: Alert; dedupKey: string | null }[] {
    return this.db
      .prepare<[], Row>("SELECT id, state, dedup_key, json FROM alerts WHERE state IN ('open', 'acknowledged') ORDER BY last_at DESC, id")
      .all()
      .map((r) => ({ alert: parse(r), dedupKey: r.dedup_key }))
  }

  /** Newest first (lastAt). */
  list(q: AlertQuery = {}): Alert[] {
    const where: string[] = []
    const params: (string | number)[] = []
    if (q.state !== undefined) (where.push('state = ?'), params.push(q.state))
    if (q.since !== undefined) (where.push('last_at >= ?'), params.push(toMs(q.since)))
    if (q.until !== undefined) (where.push('first_at <= ?'), params.push(toMs(q.until)))
    params.push(checkLimit(q.limit))
    const sql = `SELECT id, state, dedup_key, json FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_at DESC, id LIMIT ?`
    return this.db.prepare<(string | number)[], Row>(sql).all(...params).map(parse)
  }

  /** The newest open or acknowledged alert with this dedup key, if any. */
  findOpenByKey(dedupKey: string): Alert | undefined {
    const r = this.db.prepare<[string], Row>("SELECT id, state, dedup_key, json FROM alerts WHERE dedup_key = ? AND state <> 'resolved' ORDER BY last_at DESC LIMIT 1").get(dedupKey)
    return r === undefined ? undefined : parse(r)
  }

  /** open -> acknowledged. Throws if the alert is unknown or not open. */
  acknowledge(id: string, by: string, at: When): Alert {
    return this.change(id, 'acknowledged', by, at, undefined)
  }

  /** open | acknowledged -> resolved. Throws if the alert is unknown or already resolved. */
  resolve(id: string, by: string, at: When, note = ''): Alert {
    return this.change(id, 'resolved', by, at, note)
  }

  private change(id: string, to: 'acknowledged' | 'resolved', by: string, at: When, note: string | undefined): Alert {
    if (by === '') throw new Error(`alert ${id}: ${to === 'acknowledged' ? 'acknowledge' : 'resolve'} needs a "by"`)
    const when = iso(at)
    return this.db
      .transaction((): Alert => {
        const r = this.getRow(id)
        if (r === undefined) throw new Error(`alert ${id}: no such alert`)
        if (r.state === to || !NEXT[r.state].includes(to)) throw new AlertTransitionError(id, r.state, to)
        const a = parse(r)
        const next: Alert = to === 'acknowledged' ? { ...a, state: to, acknowledged: { by, at: when } } : { ...a, state: to, resolved: { by, at: when, note: note ?? '' } }
        this.write(next, r.dedup_key)
        this.event(next, r.state, by, when, by, note)
        return next
      })
      .immediate()
  }
}
