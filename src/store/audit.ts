import { createHash } from 'node:crypto'
import type { Db } from './db.js'

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export interface AuditInput {
  /** Who did it: a console user, a process role ("monitor"), ... */
  actor: string
  /** What was done, e.g. "identity.view", "alert.acknowledge". */
  action: string
  /** What it was done to: a pseudonymous subject id, an alert id, ... */
  subject?: string | undefined
  /** Why, as the actor gave it. */
  reason?: string | undefined
  /** Anything else, as JSON; stored with its object keys sorted. */
  detail?: Json | undefined
}

export interface AuditEntry {
  seq: number
  /** ISO 8601, UTC. */
  at: string
  actor: string
  action: string
  subject: string | null
  reason: string | null
  /** `detail` as canonical JSON text (object keys sorted, no spaces); "null" when none was given. */
  detail: string
  prevHash: string
  hash: string
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; seq: number; problem: string }

interface Row {
  seq: number
  at: string
  actor: string
  action: string
  subject: string | null
  reason: string | null
  detail: string
  prev_hash: string
  hash: string
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: Json): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    const o = v as Record<string, unknown>
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))
  })
}

/**
 * The hash of an entry. Canonical serialisation (format "venue-audit/1"): the JSON array
 *   ["venue-audit/1", seq, at, actor, action, subject, reason, detail, prevHash]
 * in exactly that order, as written by JSON.stringify (no spaces; subject and reason are null when
 * absent; detail is the stored canonical JSON *text*, so it appears as a JSON string). The hash is the
 * lowercase hex SHA-256 of that text's UTF-8 bytes.
 */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const text = JSON.stringify(['venue-audit/1', e.seq, e.at, e.actor, e.action, e.subject, e.reason, e.detail, e.prevHash])
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

const fromRow = (r: Row): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  reason: r.reason,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
})

/**
 * The append-only, hash-chained audit log (table `audit_log`, created by the store's migrations).
 * Each append is one IMMEDIATE transaction, so concurrent writers (even other processes) chain linearly;
 * SQLite triggers refuse UPDATE, DELETE and any insert that does not follow the last entry.
 */
export class AuditLog {
  private readonly last: () => Row | undefined
  private readonly insert: (e: AuditEntry) => void
  private readonly appendTx: (input: AuditInput) => AuditEntry

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    const last = db.prepare<[], Row>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1')
    const insert = db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, reason, detail, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @subject, @reason, @detail, @prevHash, @hash)')
    this.last = () => last.get()
    this.insert = (e) => void insert.run(e)
    const tx = db.transaction((input: AuditInput): AuditEntry => {
      const prev = this.last()
      const body = {
        seq: (prev?.seq ?? 0) + 1,
        at: this.now().toISOString(),
        actor: input.actor,
        action: input.action,
        subject: input.subject ?? null,
        reason: input.reason ?? null,
        detail: canonicalJson(input.detail ?? null),
        prevHash: prev?.hash ?? GENESIS_HASH,
      }
      const entry: AuditEntry = { ...body, hash: entryHash(body) }
      this.insert(entry)
      return entry
    })
    this.appendTx = (input) => tx.immediate(input)
  }

  append(input: AuditInput): AuditEntry {
    if (input.actor === '') throw new Error('audit entry needs an actor')
    if (input.action === '') throw new Error('audit entry needs an action')
    return this.appendTx(input)
  }

  /** The newest entry, if any. */
  head(): AuditEntry | undefined {
    const r = this.last()
    return r === undefined ? undefined : fromRow(r)
  }

  /** Entries in order, from `afterSeq` + 1. */
  *entries(afterSeq = 0): IterableIterator<AuditEntry> {
    for (const r of this.db.prepare<[number], Row>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').iterate(afterSeq)) yield fromRow(r)
  }

  /**
   * Walk the whole chain and report the first bad entry: a missing seq, content that does not hash to
   * the stored hash, or a prevHash that is not the previous entry's hash. Deleting the newest entries
   * leaves a shorter but intact chain; that needs the head hash kept elsewhere to detect.
   */
  verify(): VerifyResult {
    let expected = 1
    let prevHash = GENESIS_HASH
    for (const e of this.entries()) {
      if (e.seq !== expected) {
        const problem = expected === 1 ? `missing: the log starts at entry ${e.seq}` : `missing: entry ${e.seq} follows entry ${expected - 1}`
        return { ok: false, seq: expected, problem }
      }
      const { hash, ...body } = e
      if (entryHash(body) !== hash) return { ok: false, seq: e.seq, problem: 'hash does not match its content' }
      if (e.prevHash !== prevHash) {
        return { ok: false, seq: e.seq, problem: e.seq === 1 ? 'prevHash is not the genesis hash (64 zeros)' : `prevHash does not match entry ${e.seq - 1}'s hash` }
      }
      prevHash = hash
      expected++
    }
    return { ok: true, entries: expected - 1 }
  }
}

/** "entry 17: hash does not match its content" */
export const formatVerifyProblem = (r: { seq: number; problem: string }): string => `entry ${r.seq}: ${r.problem}`
