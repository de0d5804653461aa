/**
 * Alert manager (issue 5 "Alerts"): findings -> alerts with a lifecycle, deduplicated, escalated, and
 * written through to the store before anyone is told about them.
 *
 * - Deduplication: a finding whose dedup key matches an open or acknowledged alert updates that alert
 *   (lastAt, count, cameras), it does not open another. Once resolved, the same situation opens a new one.
 * - Escalation: an open alert not acknowledged within its rule's `response.escalateAfter_s` (counted
 *   from when the situation began) goes up one severity level, once.
 * - Staff actions (acknowledge, resolve) are checked against the lifecycle, stored, and written to the
 *   hash-chained audit log. A repeated action (QoS 1 may deliver twice) changes nothing.
 *
 * No MQTT here: every change is handed to `onChange`, which the role publishes.
 */
import type { Rule } from '../config/schema/rules.js'
import { stamp } from '../contract/envelope.js'
import type { Alert, AlertAction } from '../contract/venue/alerts.js'
import { AlertTransitionError, type AlertStore } from '../store/alerts.js'
import type { AuditLog } from '../store/audit.js'
import type { Finding } from './rules/types.js'

export type Severity = Alert['severity']
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical']
export type Evidence = Alert['evidence'][number]

export type AlertChange = 'opened' | 'updated' | 'escalated' | 'acknowledged' | 'resolved' | 'evidence'

export interface AlertManagerOptions {
  store: AlertStore
  audit: AuditLog
  rules: readonly Rule[]
  /** Called after every stored change, in order. */
  onChange: (alert: Alert, change: AlertChange) => void
  newId?: () => string
}

export type ActionResult = { ok: true; alert: Alert } | { ok: false; error: string; repeated: boolean }

const iso = (ms: number): string => new Date(ms).toISOString()
const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort()

let seq = 0
/** Alert ids sort by creation time: al-<ms base36>-<counter base36>. */
export const newAlertId = (): string => `al-${Date.now().toString(36)}-${(seq++).toString(36)}`

export class AlertManager {
  /** Open and acknowledged alerts by id: the only ones that change. */
  private readonly live = new Map<string, Alert>()
  private readonly byKey = new Map<string, string>()
  private readonly keyOf = new Map<string, string>()
  private readonly rules: Map<string, Rule>
  private readonly newId: () => string

  constructor(private readonly o: AlertManagerOptions) {
    this.rules = new Map(o.rules.map((r) => [r.id, r]))
    this.newId = o.newId ?? newAlertId
  }

  /** Pick up the open alerts a previous run left; returns them (to republish, retained). */
  load(): Alert[] {
    for (const { alert, dedupKey } of this.o.store.openKeyed()) {
      this.live.set(alert.id, alert)
      if (dedupKey !== null && !this.byKey.has(dedupKey)) {
        this.byKey.set(dedupKey, alert.id)
        this.keyOf.set(alert.id, dedupKey)
      }
    }
    return [...this.live.values()]
  }

  open(): Alert[] {
    return [...this.live.values()]
  }

  get(id: string): Alert | undefined {
    return this.live.get(id) ?? this.o.store.get(id)
  }

  /** Turn a finding into a new alert or an update of the alert of the same situation. */
  raise(f: Finding, now: number): { alert: Alert; change: 'opened' | 'updated' } {
    const existingId = this.byKey.get(f.dedupKey)
    const existing = existingId !== undefined ? this.live.get(existingId) : undefined
    if (existing !== undefined) {
      const next: Alert = {
        ...existing,
        ...stamp(new Date(now)),
        lastAt: iso(Math.max(f.at, Date.parse(existing.lastAt))),
        count: existing.count + 1,
        cameras: union(existing.cameras, f.cameras),
        robots: union(existing.robots, f.robots),
        floor: f.floor ?? existing.floor,
      }
      return { alert: this.store(next, 'updated'), change: 'updated' }
    }
    const alert: Alert = {
      ...stamp(new Date(now)),
      id: this.newId(),
      rule: f.ruleId,
      kind: f.kind,
      severity: f.severity,
      state: 'open',
      title: f.title.slice(0, 200),
      subjects: f.subjects,
      zone: f.zone,
      floor: f.floor,
      cameras: f.cameras,
      robots: f.robots,
      firstAt: iso(f.since),
      lastAt: iso(f.at),
      count: 1,
      escalated: false,
      evidence: [],
      acknowledged: null,
      resolved: null,
    }
    this.byKey.set(f.dedupKey, alert.id)
    this.keyOf.set(alert.id, f.dedupKey)
    return { alert: this.store(alert, 'opened', f.dedupKey), change: 'opened' }
  }

  /** Escalate every open alert past its rule's deadline; returns those escalated now. */
  escalate(now: number): Alert[] {
    const out: Alert[] = []
    for (const a of this.live.values()) {
      if (a.state !== 'open' || a.escalated) continue
      const after_s = this.rules.get(a.rule)?.response.escalateAfter_s ?? 0
      if (after_s <= 0 || now - Date.parse(a.firstAt) < after_s * 1000) continue
      const level = Math.min(SEVERITIES.indexOf(a.severity) + 1, SEVERITIES.length - 1)
      const next: Alert = { ...a, ...stamp(new Date(now)), severity: SEVERITIES[level] ?? a.severity, escalated: true }
      this.o.store.events.append({ at: now, kind: 'alert.escalated', source: 'monitor', zone: a.zone, detail: { alertId: a.id, rule: a.rule, from: a.severity, to: next.severity } })
      out.push(this.store(next, 'escalated'))
    }
    return out
  }

  /** Apply a staff action. Unknown alerts and illegal moves are refused with a reason; a repeat is flagged. */
  act(action: AlertAction, now: number): ActionResult {
    const current = this.get(action.alertId)
    if (current === undefined) return { ok: false, error: `alert ${action.alertId}: no such alert`, repeated: false }
    const at = Date.parse(action.timestamp)
    const when = Number.isFinite(at) ? Math.min(at, now) : now
    try {
      const next =
        action.action === 'acknowledge'
          ? this.o.store.acknowledge(action.alertId, action.by, when)
          : this.o.store.resolve(action.alertId, action.by, when, action.note)
      this.o.audit.append({
        actor: action.by,
        action: `alert.${action.action}`,
        subject: action.alertId,
        reason: action.note === '' ? undefined : action.note,
        detail: { rule: next.rule, kind: next.kind, severity: next.severity, subjects: next.subjects },
      })
      const stamped: Alert = { ...next, ...stamp(new Date(now)) }
      if (next.state === 'resolved') this.forget(next.id)
      else this.live.set(next.id, stamped)
      this.o.onChange(stamped, next.state === 'resolved' ? 'resolved' : 'acknowledged')
      return { ok: true, alert: stamped }
    } catch (err) {
      if (err instanceof AlertTransitionError) {
        const repeated = err.from === err.to || (err.from === 'resolved' && action.action === 'resolve') || (err.from === 'acknowledged' && action.action === 'acknowledge')
        return { ok: false, error: err.message, repeated }
      }
      return { ok: false, error: err instanceof Error ? err.message : String(err), repeated: false }
    }
  }

  /** Attach evidence to a live alert (ignored once resolved, or when already listed). */
  addEvidence(alertId: string, ev: Evidence, now: number): Alert | undefined {
    const a = this.live.get(alertId)
    if (a === undefined || a.evidence.some((e) => e.kind === ev.kind && e.ref === ev.ref)) return undefined
    return this.store({ ...a, ...stamp(new Date(now)), evidence: [...a.evidence, ev] }, 'evidence')
  }

  /** Record a robot sent for an alert. */
  addRobot(alertId: string, robot: string, now: number): Alert | undefined {
    const a = this.live.get(alertId)
    if (a === undefined || a.robots.includes(robot)) return undefined
    return this.store({ ...a, ...stamp(new Date(now)), robots: union(a.robots, [robot]) }, 'updated')
  }

  private store(a: Alert, change: AlertChange, dedupKey?: string): Alert {
    this.o.store.upsert(a, dedupKey === undefined ? {} : { dedupKey })
    this.live.set(a.id, a)
    this.o.onChange(a, change)
    return a
  }

  private forget(id: string): void {
    this.live.delete(id)
    const key = this.keyOf.get(id)
    this.keyOf.delete(id)
    if (key !== undefined && this.byKey.get(key) === id) this.byKey.delete(key)
  }
}
