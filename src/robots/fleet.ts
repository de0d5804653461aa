/**
 * The fleet role, wired in one place: mission requests in, robots driven through their links, robot
 * status and mission state out (both retained), proof-of-delivery records in the store.
 *
 * Faults end the robot's trip and hand its unfinished work back to the mission for another robot:
 * connection broken or offline, no report for `stateTimeout_s`, a FATAL error, driving with no node
 * reached for `noProgress_s`, a leg the robot rejects. Each is published as a fault on the robot's
 * status, which the monitor's robot_fault rule turns into an alert; health.ts watches for them.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Robot } from '../config/schema/robots.js'
import type { Venue } from '../config/schema/venue.js'
import { Bus } from '../contract/bus.js'
import type { MissionRequest, RobotFaultKind } from '../contract/venue/missions.js'
import type { Sightings } from '../contract/venue/sightings.js'
import type { Logger } from '../shared/log.js'
import { AuditLog, EventStore, openDatabase, type Db, type EvidenceRecord } from '../store/index.js'
import { CheckinDesk } from './checkin.js'
import { RobotDriver } from './driver.js'
import { GuardDuty } from './guard.js'
import { onReport, watch, type FleetRobot, type HealthHooks } from './health.js'
import { NavGraph } from './graph.js'
import type { RobotLink } from './link.js'
import { hasWork, newMission, type Mission, type Trip } from './missions.js'
import { Places } from './places.js'
import { choose, planTrip } from './plan.js'
import { PROOF_EVENT, readProofs, type ProofRecord } from './proofs.js'
import { publishMission, validateRequest } from './requests.js'
import { Reservations } from './reservations.js'
import { modeOf, robotStatus } from './status.js'
import { MissionSnapshots } from './snapshots.js'
import { dueRequests } from './schedules.js'
import { VdaLink } from './vda5050/link.js'

export interface FleetOptions {
  venue: Venue
  url: string
  username: string
  password: string
  logger: Logger
  /** SQLite file of the fleet's store, or ":memory:". */
  dbFile: string
  clock?: () => number
  tick_ms?: number
  clientId?: string
  /** The link to a robot, when not VDA 5050 over the fleet's own connection (ROS 2 links are made by the role). */
  linkFor?: (robot: Robot, bus: Bus, graph: NavGraph) => Promise<RobotLink | undefined> | RobotLink | undefined
}

/** How long a robot whose trip failed stays out of allocation (fleet clock; the next tick retries). */
const FAILED_TRIP_HOLD_MS = 5_000

type Rt = FleetRobot

export class Fleet {
  private bus: Bus | undefined
  private db: Db | undefined
  private events: EventStore | undefined
  private audit: AuditLog | undefined
  readonly graph: NavGraph
  readonly places: Places
  readonly reservations = new Reservations()
  private readonly robots = new Map<string, Rt>()
  readonly missions = new Map<string, Mission>()
  private readonly timers: NodeJS.Timeout[] = []
  private stopping = false
  private readonly clock: () => number
  private readonly log: Logger
  private missionSeq = 0
  private lastScheduleCheck: number | undefined
  private readonly desk: CheckinDesk
  private readonly snapshots: MissionSnapshots
  private readonly guard: GuardDuty
  private readonly health: HealthHooks = {
    fault: (rt, kind, detail) => this.fault(rt, kind, detail),
    sendHome: (rt) => this.sendHome(rt),
    relieveGuard: (rt, m) => this.relieveGuard(rt, m),
    available: () => this.allocate(),
    publishStatus: (rt, force) => this.publishStatus(rt, force),
  }

  constructor(private readonly o: FleetOptions) {
    this.graph = new NavGraph(o.venue.navigation)
    this.places = new Places(o.venue)
    this.clock = o.clock ?? Date.now
    this.log = o.logger
    this.desk = new CheckinDesk(o.venue)
    this.snapshots = new MissionSnapshots(o.venue, this.places, (key, params, payload) => {
      this.bus?.publish(key, params, payload).catch((err: unknown) => this.log.warn({ err, camera: params.camera }, 'snapshot request not published'))
    }, this.clock)
    this.guard = new GuardDuty(this.places, {
      changed: (m) => this.publish(m),
      failed: (robot, reason) => {
        const rt = this.robots.get(robot)
        const m = rt?.mission
        if (rt !== undefined && m != null) this.tripEnded(rt, m, [], reason)
      },
      record: (kind, detail) => this.events?.append({ at: this.clock(), kind, source: 'fleet:checkin', subject: detail.subject ?? null, detail }),
      mayGuide: (robot) => this.robots.get(robot)?.needsCharge !== true,
    })
  }

  async start(): Promise<void> {
    const { venue } = this.o
    this.stopping = false
    if (this.o.dbFile !== ':memory:') mkdirSync(dirname(this.o.dbFile), { recursive: true })
    this.db = openDatabase(this.o.dbFile)
    this.events = new EventStore(this.db)
    this.audit = new AuditLog(this.db)
    this.snapshots.open(this.db, this.audit)
    const site = venue.site.id
    const bus = (this.bus = new Bus({
      url: this.o.url,
      username: this.o.username,
      password: this.o.password,
      clientId: this.o.clientId ?? `fleet-${site}`,
      persistentSession: true,
      onInvalid: (topic, error) => this.log.warn({ topic, error }, 'message dropped: it breaks the contract'),
      onHandlerError: (topic, err) => this.log.error({ topic, err }, 'handler failed; message skipped'),
    }))
    await bus.subscribe('missionRequest', { site }, (r) => this.onRequest(r))
    await bus.subscribe('snapshot', { site }, (sn) => this.snapshots.received(sn))
    for (const camera of this.desk.cameras) await bus.subscribe('cameraSightings', { site, camera }, (m) => this.onCheckinFrame(m))
    await bus.start()
    const cfg = venue.fleet
    for (const robot of venue.robots) {
      const link = (await this.o.linkFor?.(robot, bus, this.graph)) ?? new VdaLink({ venue, robot, graph: this.graph, bus, clock: this.clock })
      const driver = new RobotDriver(robot, link, this.graph, this.reservations, {
        speed_mps: cfg.speed_mps,
        clock: this.clock,
        dwell_ms: (stop) => (stop.label.startsWith('looking at') ? cfg.verifyDwell_s * 1000 : 0),
      })
      const rt: Rt = { robot, driver, mission: null, faults: new Map(), charging: false, needsCharge: false, lastPublished: 0, lastMode: null, heldUntil: 0 }
      this.robots.set(robot.id, rt)
      link.onUpdate(() => this.onRobotUpdate(rt))
      await link.start()
    }
    const t = setInterval(() => {
      try {
        this.tick()
      } catch (err) {
        this.log.error({ err }, 'fleet tick failed')
      }
    }, this.o.tick_ms ?? 250)
    t.unref()
    this.timers.push(t)
    this.scheduled(true)
    this.log.info({ robots: this.robots.size, schedules: cfg.schedules.length }, 'fleet running')
  }

  async stop(): Promise<void> {
    // robots' last states arrive while the links close: nothing is published past this point
    this.stopping = true
    for (const t of this.timers.splice(0)) clearInterval(t)
    for (const rt of this.robots.values()) await rt.driver.link.stop()
    await this.bus?.stop()
    this.bus = undefined
    this.db?.close()
    this.db = undefined
  }

  /** Start a mission as a request would (also used by schedules and tests). */
  request(r: MissionRequest): void {
    this.onRequest(r)
  }

  /** The latest 1000 proof-of-delivery records, oldest first. */
  deliveries(): ProofRecord[] {
    if (this.events === undefined) return []
    const { proofs, unreadable } = readProofs(this.events)
    if (unreadable > 0) this.log.warn({ unreadable }, 'stored delivery proofs that do not parse were skipped')
    return proofs
  }

  /** Snapshots stored for a mission's stops (patrol waypoints, hand-overs). */
  snapshotsOf(missionId: string): EvidenceRecord[] {
    return this.snapshots.stored(missionId)
  }

  // ---- check-in --------------------------------------------------------------------------------

  private onCheckinFrame(m: Sightings): void {
    for (const v of this.desk.see(m, this.clock())) {
      this.log.info({ camera: v.camera, verdict: v.kind, ...(v.kind === 'refuse' ? { reason: v.reason } : {}) }, v.kind === 'admit' ? 'check-in admitted' : 'check-in refused')
      this.guard.verdict(v)
    }
  }

  // ---- requests --------------------------------------------------------------------------------

  private onRequest(r: MissionRequest): void {
    const now = this.clock()
    if (r.action === 'cancel') {
      const m = this.missions.get(r.missionId)
      if (m === undefined) {
        this.log.warn({ missionId: r.missionId, by: r.requestedBy }, 'cancel refused: no such mission')
        return
      }
      this.cancel(m, `cancelled by ${r.requestedBy}`)
      return
    }
    if ([...this.missions.values()].some((m) => m.requestId === r.requestId)) return // a repeated request
    const m = newMission(r, `m-${now.toString(36)}-${(this.missionSeq++).toString(36)}`)
    this.missions.set(m.id, m)
    const problem = validateRequest(this.o.venue, this.graph, this.places, r)
    if (problem !== null) {
      this.finish(m, 'failed', problem)
      this.log.warn({ requestId: r.requestId, by: r.requestedBy }, `mission refused: ${problem}`)
      return
    }
    this.log.info({ missionId: m.id, kind: m.kind, by: r.requestedBy }, 'mission queued')
    this.publish(m)
    this.allocate()
  }

  private cancel(m: Mission, reason: string): void {
    m.cancelled = true
    if (m.kind === 'guard') this.guard.release(m)
    for (const id of m.active) {
      const rt = this.robots.get(id)
      if (rt === undefined) continue
      void rt.driver.abandon().then(() => {
        rt.mission = null
        this.sendHome(rt)
      })
    }
    m.active.clear()
    this.finish(m, 'cancelled', reason)
  }

  // ---- allocation and trips --------------------------------------------------------------------

  private available(): Rt[] {
    return [...this.robots.values()].filter((rt) => {
      const s = rt.driver.link.snapshot()
      return !rt.driver.busy && !rt.driver.settling && rt.mission === null && !rt.needsCharge && this.clock() >= rt.heldUntil && s.connection === 'online' && s.node !== null && !s.errors.some((e) => e.level === 'FATAL') && !rt.faults.has('lost') && !rt.faults.has('stuck')
    })
  }

  private allocate(): void {
    for (const m of this.missions.values()) {
      while (hasWork(m)) {
        const free = this.available()
        if (free.length === 0) return
        const first = m.kind === 'delivery' ? (this.places.nodeOfKind('kitchen') ?? '') : (m.nodes[0] ?? '')
        const pick = choose(this.graph, m, free.map((rt) => ({ robot: rt.robot, snap: rt.driver.link.snapshot(), supports: (t: string) => rt.driver.link.supports(t) })), first || (free[0]?.robot.dockNode ?? ''), this.o.venue.fleet.speed_mps)
        const rt = pick && this.robots.get(pick.robot.id)
        if (rt === undefined) break
        const trip = planTrip(this.graph, this.places, m, rt.robot, rt.driver.link.snapshot().node!, this.o.venue.fleet)
        if ('error' in trip) {
          this.finish(m, 'failed', trip.error)
          break
        }
        m.pendingRooms = m.pendingRooms.filter((room) => !trip.rooms.includes(room))
        m.active.add(rt.robot.id)
        rt.mission = m
        if (m.startedAt === null) m.startedAt = new Date(this.clock()).toISOString()
        m.state = 'assigned'
        m.step = `assigned to ${rt.robot.id}`
        this.publish(m)
        this.startTrip(rt, m, trip)
      }
    }
  }

  private startTrip(rt: Rt, m: Mission, trip: Trip): void {
    const confirmedBy = new Map<string, string>()
    rt.driver.start(trip, {
      onStop: (stop) => {
        m.state = 'running'
        m.step = `${rt.robot.id}: ${stop.label}`
        this.publish(m)
        this.publishStatus(rt, true)
      },
      onAction: (stop, actionId, status, result) => {
        if (stop.room !== undefined && status === 'FINISHED') confirmedBy.set(actionId, result ?? 'unknown')
        if (status === 'FAILED') this.log.warn({ robot: rt.robot.id, actionId, stop: stop.node }, 'action failed')
      },
      onStopDone: (stop) => {
        const snapshots = stop.snapshot === true ? this.snapshots.request(m.id, stop.node, stop.room) : []
        if (stop.room !== undefined) this.proof(m, rt, stop.room, confirmedBy.get(stop.actions[0]?.id ?? '') ?? 'unconfirmed', snapshots)
        this.publish(m)
      },
      onTripDone: () => this.tripEnded(rt, m, trip.rooms, null),
      onTripFailed: (reason) => this.tripEnded(rt, m, trip.rooms, reason),
    })
  }

  private proof(m: Mission, rt: Rt, room: string, confirmedBy: string, snapshots: string[]): void {
    const at = new Date(this.clock()).toISOString()
    m.delivered.push({ room, robot: rt.robot.id, confirmedBy, at, snapshots })
    const detail: ProofRecord = { mission: m.id, room, robot: rt.robot.id, confirmedBy, at, snapshots }
    this.events?.append({ at, kind: PROOF_EVENT, source: `fleet:${rt.robot.id}`, zone: room, detail })
    this.audit?.append({ actor: `robot:${rt.robot.id}`, action: 'delivery.handover', subject: room, reason: `confirmed by ${confirmedBy}`, detail })
    this.log.info(detail, `meal delivered to ${room}`)
  }

  private tripEnded(rt: Rt, m: Mission, rooms: string[], failure: string | null): void {
    if (m.kind === 'guard' && failure === null && !m.cancelled) {
      // at the post: on duty until the mission is cancelled or the robot fails
      this.guard.take(m, rt.driver, rt.driver.link.snapshot().node ?? rt.robot.dockNode)
      this.publishStatus(rt, true)
      return
    }
    if (m.kind === 'guard') this.guard.release(m)
    rt.mission = null
    m.active.delete(rt.robot.id)
    if (failure !== null) {
      const undelivered = rooms.filter((room) => !m.delivered.some((d) => d.room === room))
      m.pendingRooms.unshift(...undelivered)
      // a trip can fail before its first await (a leg the link refuses at once): without a pause
      // the same robot would be given the same work again and again, starving the event loop
      rt.heldUntil = this.clock() + FAILED_TRIP_HOLD_MS
      this.fault(rt, 'mission_failed', failure)
      this.log.warn({ robot: rt.robot.id, mission: m.id, undelivered }, `trip failed: ${failure}`)
    }
    if (!m.cancelled) {
      if (m.kind === 'delivery' && m.pendingRooms.length === 0 && m.active.size === 0) this.finish(m, 'completed')
      else if (m.kind !== 'delivery' && failure === null && !m.loop) this.finish(m, 'completed')
      else if (m.kind !== 'delivery' && failure !== null && m.robot !== null) this.finish(m, 'failed', failure)
      else {
        m.state = m.active.size > 0 ? 'running' : 'queued'
        m.step = m.active.size > 0 ? m.step : failure !== null ? `waiting for another robot (${rt.robot.id}: ${failure})` : 'next round'
        this.publish(m)
      }
    }
    this.publishStatus(rt, true)
    this.allocate()
    // nothing more for it: an idle robot waits at its dock, not in a corridor or the kitchen
    if (rt.mission === null && !rt.driver.busy && failure === null) this.sendHome(rt)
  }

  private finish(m: Mission, state: 'completed' | 'failed' | 'cancelled', reason?: string): void {
    m.state = state
    m.endedAt = new Date(this.clock()).toISOString()
    m.step = state === 'completed' ? 'done' : (reason ?? state)
    if (reason !== undefined) m.reason = reason.slice(0, 500)
    this.publish(m)
  }

  /** The guard leaves its post to charge; the mission waits (queued) for it, or for another guard. */
  private relieveGuard(rt: Rt, m: Mission): void {
    this.guard.release(m)
    m.active.delete(rt.robot.id)
    rt.mission = null
    m.state = 'queued'
    m.step = `${rt.robot.id} charging: the post waits for a guard`
    this.publish(m)
    this.log.warn({ robot: rt.robot.id, mission: m.id }, 'guard off its post to charge')
    this.sendHome(rt)
  }

  private sendHome(rt: Rt): void {
    const node = rt.driver.link.snapshot().node
    if (node === null || node === rt.robot.dockNode || rt.driver.busy) return
    rt.driver.start({ stops: [{ node: rt.robot.dockNode, label: 'going to the dock', actions: [] }], rooms: [] }, {
      onStop: () => this.publishStatus(rt, true),
      onAction: () => undefined,
      onStopDone: () => undefined,
      onTripDone: () => {
        if (rt.needsCharge) void rt.driver.link.charge(true)
        this.publishStatus(rt, true)
        this.allocate()
      },
      onTripFailed: (reason) => this.fault(rt, 'mission_failed', `could not reach the dock: ${reason}`),
    })
  }

  // ---- health ----------------------------------------------------------------------------------

  private onRobotUpdate(rt: Rt): void {
    onReport(rt, this.health)
  }

  /** Ask for the scheduled missions due since the last look. */
  private scheduled(starting: boolean): void {
    const now = this.clock()
    const from = this.lastScheduleCheck ?? now
    this.lastScheduleCheck = now
    for (const r of dueRequests(this.o.venue.fleet.schedules, this.o.venue.site.timezone, from, now, starting)) this.onRequest(r)
  }

  private tick(): void {
    this.scheduled(false)
    const now = this.clock()
    const cfg = this.o.venue.fleet
    for (const rt of this.robots.values()) watch(rt, now, cfg, this.health)
    // freed lanes go to the robot that has waited longest, then to the others
    const waiting = [...this.robots.values()].filter((rt) => rt.driver.busy).sort((a, b) => (a.driver.blockedSince ?? Infinity) - (b.driver.blockedSince ?? Infinity))
    for (const rt of waiting) void rt.driver.retryRelease()
    this.allocate()
  }

  private fault(rt: Rt, kind: RobotFaultKind, detail: string): void {
    if (!rt.faults.has(kind)) this.log.warn({ robot: rt.robot.id, fault: kind }, detail)
    rt.faults.set(kind, { since: new Date(this.clock()).toISOString(), detail: detail.slice(0, 500) })
    this.publishStatus(rt, true)
  }

  // ---- output ----------------------------------------------------------------------------------

  private publish(m: Mission): void {
    if (this.stopping) return
    publishMission(this.bus, this.o.venue.site.id, m, this.clock(), (err) => this.log.warn({ err, mission: m.id }, 'mission state not published'))
  }

  private publishStatus(rt: Rt, force: boolean): void {
    if (this.stopping) return
    const now = this.clock()
    const s = rt.driver.link.snapshot()
    const mode = modeOf(rt.faults, s, rt.mission !== null, rt.driver.busy)
    if (!force && mode === rt.lastMode && now - rt.lastPublished < this.o.venue.fleet.statusInterval_ms) return
    rt.lastPublished = now
    rt.lastMode = mode
    const status = robotStatus(rt.robot, s, mode, rt.mission?.id ?? null, rt.faults, now)
    this.bus?.publish('robotStatus', { site: this.o.venue.site.id, robot: rt.robot.id }, status).catch((err: unknown) => this.log.warn({ err, robot: rt.robot.id }, 'robot status not published'))
  }
}
