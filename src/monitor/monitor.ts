/**
 * The monitor role, wired in one place: the contract topics in, the engine and alert manager in the
 * middle, the store underneath, alerts / tracks / mission and snapshot requests out.
 *
 * Alerts are never lost: each change is written to SQLite before it is published; open alerts are
 * published retained with QoS 1 and published again after every (re)connect and on start, so a broker
 * that restarted without its retained store, or a monitor that restarted, leaves nothing behind.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Venue } from '../config/schema/venue.js'
import { Bus } from '../contract/bus.js'
import { stamp } from '../contract/envelope.js'
import type { Alert, AlertAction } from '../contract/venue/alerts.js'
import type { MissionState, RobotStatus } from '../contract/venue/missions.js'
import type { Sightings } from '../contract/venue/sightings.js'
import type { Snapshot } from '../contract/venue/snapshots.js'
import type { CameraStatus } from '../contract/venue/status.js'
import type { Logger } from '../shared/log.js'
import { AlertStore, AuditLog, createTelemetry, EvidenceStore, openDatabase, TrajectoryStore, type Db, type TelemetrySink } from '../store/index.js'
import { AlertManager, SEVERITIES, type AlertChange } from './alerts.js'
import { dispatchRequest, dispatchRequestId } from './dispatch.js'
import { MonitorEngine } from './engine.js'
import type { Finding } from './rules/types.js'
import { LatencyRecorder } from '../shared/stats.js'

export interface MonitorOptions {
  venue: Venue
  url: string
  username: string
  password: string
  /** SQLite file of the store, or ":memory:". */
  dbFile: string
  logger: Logger
  /** Default: InfluxDB through the venue file's `monitor.telemetry` (none when it names no URL). */
  telemetry?: TelemetrySink
  /** Epoch ms now (tests start the clock on a chosen day). Default Date.now. */
  clock?: () => number
  /** Timers and expiry run this often, ms (default 250). */
  tick_ms?: number
  clientId?: string
}

export interface MonitorStats {
  messages: number
  sightings: number
  alertsOpened: number
  invalid: number
  /** ms from the first message of a burst arriving to the alerts it caused being handed to MQTT. */
  latency: { count: number; p50: number; p99: number; max: number }
}

/** Snapshot requests are answered within this, or forgotten. */
const SNAPSHOT_WAIT_MS = 60_000
/** At most this many cameras' snapshots per alert. */
const SNAPSHOTS_PER_ALERT = 3
/** Trajectories past retention are purged this often, ms. */
const PURGE_EVERY_MS = 3_600_000
/** Shortest time between two passes of the track rules, ms. */
const EVALUATE_EVERY_MS = 20
/** Trajectory evidence starts this long before the situation began. */
const TRAJECTORY_LEAD_MS = 60_000

export class Monitor {
  private db: Db | undefined
  private bus: Bus | undefined
  private engine: MonitorEngine | undefined
  private alerts: AlertManager | undefined
  private trajectories: TrajectoryStore | undefined
  private evidence: EvidenceStore | undefined
  private audit: AuditLog | undefined
  private readonly timers: NodeJS.Timeout[] = []
  private readonly pendingSnapshots = new Map<string, { alertId: string; until: number }>()
  private readonly missionAlerts = new Map<string, string>()
  private burstStart: number | undefined
  private lastEvaluation = -Infinity
  private lastPurge = -Infinity
  private readonly latency = new LatencyRecorder()
  private readonly counts = { messages: 0, sightings: 0, alertsOpened: 0 }
  private readonly telemetry: TelemetrySink
  private readonly clock: () => number
  private readonly log: Logger

  constructor(private readonly o: MonitorOptions) {
    const t = o.venue.monitor.telemetry
    this.telemetry = o.telemetry ?? createTelemetry({ url: t.url, org: t.org, bucket: t.bucket, token: process.env[t.tokenEnv], logger: o.logger })
    this.clock = o.clock ?? Date.now
    this.log = o.logger
  }

  async start(): Promise<void> {
    const { venue } = this.o
    if (this.o.dbFile !== ':memory:') mkdirSync(dirname(this.o.dbFile), { recursive: true })
    const db = (this.db = openDatabase(this.o.dbFile))
    const store = new AlertStore(db)
    this.audit = new AuditLog(db)
    this.trajectories = new TrajectoryStore(db)
    this.evidence = new EvidenceStore(db)
    this.engine = new MonitorEngine(venue, {
      fusion: { maxSpeed_mps: venue.monitor.maxSpeed_mps, tolerance_m: venue.monitor.tolerance_m, lost_ms: venue.monitor.lost_s * 1000, view_ms: (venue.monitor.view_s ?? Math.min(2, venue.monitor.lost_s)) * 1000 },
      onRuleError: (rule, hook, err) => this.log.error({ rule, hook, err }, 'rule failed; skipped for this input'),
    })
    this.alerts = new AlertManager({ store, audit: this.audit, rules: venue.rules, onChange: (a, c) => this.onAlertChange(a, c) })
    const carried = this.alerts.load()
    if (carried.length > 0) this.log.info({ open: carried.length }, 'open alerts carried over from the last run')
    await this.telemetry.start()

    const site = venue.site.id
    const bus = (this.bus = new Bus({
      url: this.o.url,
      username: this.o.username,
      password: this.o.password,
      clientId: this.o.clientId ?? `monitor-${site}`,
      persistentSession: true,
      onInvalid: (topic, error) => this.log.warn({ topic, error }, 'message dropped: it breaks the contract'),
      onHandlerError: (topic, err) => this.log.error({ topic, err }, 'handler failed; message skipped'),
    }))
    // routes first: queued QoS 1 actions arrive right after the connect of a persistent session
    await bus.subscribe('cameraSightings', { site }, (m) => this.onSightings(m))
    await bus.subscribe('cameraStatus', { site }, (m) => this.onCameraStatus(m))
    await bus.subscribe('robotStatus', { site }, (m) => this.onRobotStatus(m))
    await bus.subscribe('alertAction', { site }, (m) => this.onAlertAction(m))
    await bus.subscribe('snapshot', { site }, (m) => this.onSnapshot(m))
    await bus.subscribe('missionState', { site }, (m) => this.onMissionState(m))
    await bus.start()
    bus.raw.on('connect', () => this.republish('reconnected'))
    bus.raw.on('offline', () => this.log.warn('broker connection lost; alerts are kept and published on reconnect'))
    this.republish('started')

    const every = (ms: number, fn: () => void): void => {
      const t = setInterval(() => {
        try {
          fn()
        } catch (err) {
          this.log.error({ err }, 'periodic monitor work failed')
        }
      }, ms)
      t.unref()
      this.timers.push(t)
    }
    every(this.o.tick_ms ?? 250, () => this.tick())
    every(venue.monitor.tracksInterval_ms, () => this.publishTracks())
    every(venue.monitor.telemetry.interval_s * 1000, () => this.writeTelemetry())
    this.log.info({ rules: this.engine.rules.length, store: this.o.dbFile }, 'monitor running')
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t)
    await this.bus?.stop()
    this.bus = undefined
    await this.telemetry.stop()
    this.trajectories?.close()
    this.db?.close()
    this.db = undefined
  }

  stats(): MonitorStats {
    return { ...this.counts, invalid: this.bus?.invalidCount ?? 0, latency: this.latency.summary() }
  }

  /** Open and acknowledged alerts. */
  openAlerts(): Alert[] {
    return this.alerts?.open() ?? []
  }

  // ---- inputs ----------------------------------------------------------------------------------

  private onSightings(m: Sightings): void {
    const engine = this.engine
    const now = this.clock()
    if (engine === undefined) return
    this.counts.messages++
    this.counts.sightings += m.tracks.length
    this.markBurst()
    const r = engine.sightings(m, now)
    for (const t of r.changed) this.trajectories?.add({ subject: t.subject === 'unknown' ? t.id : t.subject, at: now, x: t.floor[0], y: t.floor[1], zone: t.zone })
    this.raise(r.findings, now)
  }

  private onCameraStatus(s: CameraStatus): void {
    this.telemetry.cameraFps(s.camera, s.fps)
    this.raise(this.engine?.cameraStatus(s, this.clock()) ?? [], this.clock())
  }

  private onRobotStatus(s: RobotStatus): void {
    if (s.battery_pct !== null) this.telemetry.robotBattery(s.robot, s.battery_pct)
    this.raise(this.engine?.robotStatus(s, this.clock()) ?? [], this.clock())
  }

  private onAlertAction(a: AlertAction): void {
    const r = this.alerts?.act(a, this.clock())
    if (r === undefined || r.ok) return
    if (r.repeated) this.log.info({ alertId: a.alertId, action: a.action, by: a.by }, `alert action already applied: ${r.error}`)
    else this.log.warn({ alertId: a.alertId, action: a.action, by: a.by }, `alert action refused: ${r.error}`)
  }

  private onSnapshot(s: Snapshot): void {
    if (s.requestId === null) return
    const pending = this.pendingSnapshots.get(s.requestId)
    if (pending === undefined) return
    this.pendingSnapshots.delete(s.requestId)
    const rec = this.evidence?.add({ alertId: pending.alertId, ref: s.snapshot, camera: s.camera, capturedAt: s.capturedAt, jpeg: Buffer.from(s.jpeg, 'base64') })
    if (rec === undefined) return
    this.audit?.append({ actor: 'monitor', action: 'evidence.snapshot', subject: pending.alertId, detail: { ref: rec.ref, camera: rec.camera, capturedAt: s.capturedAt, sha256: rec.sha256 } })
    this.alerts?.addEvidence(pending.alertId, { kind: 'snapshot', ref: rec.ref }, this.clock())
  }

  private onMissionState(m: MissionState): void {
    const alertId = m.requestId !== null ? this.missionAlerts.get(m.requestId) : undefined
    if (alertId === undefined || m.robot === null) return
    this.alerts?.addRobot(alertId, m.robot, this.clock())
  }

  // ---- work ------------------------------------------------------------------------------------

  /**
   * Track rules run once per burst of messages: the first message schedules the pass, on the next
   * turn of the event loop, but no sooner than EVALUATE_EVERY_MS after the previous pass, so a flood
   * of frames costs at most one pass over every track per interval.
   */
  private markBurst(): void {
    if (this.burstStart !== undefined) return
    this.burstStart = performance.now()
    const run = (): void => {
      const started = this.burstStart
      this.burstStart = undefined
      this.lastEvaluation = performance.now()
      const opened = this.raise(this.engine?.evaluate(this.clock()) ?? [], this.clock())
      if (opened > 0 && started !== undefined) this.latency.add(performance.now() - started)
    }
    const wait = this.lastEvaluation + EVALUATE_EVERY_MS - this.burstStart
    if (wait > 0) setTimeout(run, wait)
    else setImmediate(run)
  }

  private tick(): void {
    const engine = this.engine
    if (engine === undefined) return
    const now = this.clock()
    const { findings } = engine.tick(now)
    this.raise(findings, now)
    this.alerts?.escalate(now)
    if (now - this.lastPurge >= PURGE_EVERY_MS) this.purge(now)
    for (const [id, p] of this.pendingSnapshots) if (p.until < now) this.pendingSnapshots.delete(id)
  }

  /** Where people were is personal data: trajectories older than the roster's retention go. */
  private purge(now: number): void {
    this.lastPurge = now
    const days = this.o.venue.roster.retention_days
    const removed = this.trajectories?.purgeBefore(now - days * 86_400_000) ?? 0
    if (removed > 0) this.log.info({ removed, retention_days: days }, 'trajectory points past retention purged')
  }

  /** Returns how many alerts were opened. */
  private raise(findings: Finding[], now: number): number {
    const manager = this.alerts
    if (manager === undefined || findings.length === 0) return 0
    let opened = 0
    for (const f of findings) {
      const { alert, change } = manager.raise(f, now)
      if (change !== 'opened') continue
      opened++
      this.counts.alertsOpened++
      this.log.warn({ alertId: alert.id, rule: alert.rule, severity: alert.severity, zone: alert.zone, subjects: alert.subjects }, alert.title)
      this.gatherEvidence(alert, now)
      this.respond(alert, now)
    }
    return opened
  }

  private gatherEvidence(alert: Alert, now: number): void {
    const site = this.o.venue.site.id
    alert.cameras.slice(0, SNAPSHOTS_PER_ALERT).forEach((camera, i) => {
      const requestId = `ev-${alert.id}-${i}`.slice(0, 64)
      const last = this.engine?.lastSnapshot(camera)
      this.pendingSnapshots.set(requestId, { alertId: alert.id, until: now + SNAPSHOT_WAIT_MS })
      this.send(
        this.bus?.publish('snapshotRequest', { site, camera }, { ...stamp(new Date(now)), requestId, camera, requestedBy: 'monitor', ...(last !== undefined ? { snapshot: last.snapshot } : {}) }),
        'snapshot request',
      )
    })
    const from = new Date(Date.parse(alert.firstAt) - TRAJECTORY_LEAD_MS).toISOString()
    for (const s of alert.subjects) {
      if (s === 'unknown') continue
      this.alerts?.addEvidence(alert.id, { kind: 'trajectory', ref: `trajectory:${s}:${from}/${alert.lastAt}` }, now)
    }
  }

  private respond(alert: Alert, now: number): void {
    const rule = this.o.venue.rules.find((r) => r.id === alert.rule)
    const kind = rule?.response.dispatch
    if (kind === undefined || kind === 'none') return
    const req = dispatchRequest(this.o.venue, alert, kind, now)
    if (req === null) {
      this.log.warn({ alertId: alert.id }, `no navigation node near the alert: no robot sent to ${kind}`)
      return
    }
    this.missionAlerts.set(dispatchRequestId(alert.id), alert.id)
    this.send(this.bus?.publish('missionRequest', { site: this.o.venue.site.id }, req), 'mission request')
    this.alerts?.addEvidence(alert.id, { kind: 'note', ref: `${kind} requested: ${req.requestId} to node ${req.nodes[0] ?? '?'}` }, now)
  }

  private onAlertChange(alert: Alert, change: AlertChange): void {
    const site = this.o.venue.site.id
    if (change === 'resolved') {
      // published once for live subscribers, then the retained copy is cleared [MQTT-3.3.1-10]
      this.send(this.bus?.publish('alert', { site, alertId: alert.id }, alert, { retain: false }), 'resolved alert')
      this.send(this.bus?.clearRetained('alert', { site, alertId: alert.id }), 'retained alert clear')
      return
    }
    this.send(this.bus?.publish('alert', { site, alertId: alert.id }, alert), 'alert')
  }

  private republish(why: string): void {
    const open = this.alerts?.open() ?? []
    for (const a of open) this.onAlertChange(a, 'updated')
    if (open.length > 0) this.log.info({ open: open.length, why }, 'open alerts published (retained)')
  }

  private publishTracks(): void {
    const engine = this.engine
    if (engine === undefined || this.bus?.connected !== true) return
    const tracks = engine.fusion.tracks(this.clock()).slice(0, 5000)
    this.send(this.bus.publish('tracks', { site: this.o.venue.site.id }, { ...stamp(new Date(this.clock())), tracks }), 'tracks')
  }

  private writeTelemetry(): void {
    const engine = this.engine
    if (engine === undefined) return
    const counts = new Map(this.o.venue.floor.zones.map((z) => [z.id, 0]))
    for (const t of engine.fusion.tracks()) if (t.zone !== null) counts.set(t.zone, (counts.get(t.zone) ?? 0) + 1)
    for (const [zone, n] of counts) this.telemetry.occupancy(zone, n)
    const bySeverity = new Map(SEVERITIES.map((s) => [s, 0]))
    for (const a of this.alerts?.open() ?? []) bySeverity.set(a.severity, (bySeverity.get(a.severity) ?? 0) + 1)
    for (const [severity, n] of bySeverity) this.telemetry.alertCount(severity, n)
  }

  /** A publish runs in the background; MQTT.js queues QoS 1 while offline, and a failure is logged. */
  private send(p: Promise<void> | undefined, what: string): void {
    p?.catch((err: unknown) => this.log.warn({ err: err instanceof Error ? err.message : String(err) }, `${what} not published`))
  }
}
