import { People } from './people.js'
import type { Alert, CameraStatus, Mission, RobotStatus, Track } from './records.js'
import type { VenueView } from './venue.js'
import type { LiveMessage } from './live-messages.js'
import { colours } from '../map/colours.js'

export type Connection = 'connecting' | 'live' | 'lost'
export type Topic = 'alerts' | 'robots' | 'cameras' | 'missions' | 'telemetry' | 'connection' | 'selection'

/** A robot with the position it is drawn from, glided towards its latest reported position. */
export interface RobotOnMap { status: RobotStatus; fromX: number; fromY: number; t0: number; receivedAt: number }

/** Everything the page knows, fed by the REST snapshots and the live WebSocket. */
export class Store {
  readonly people: People
  readonly robots = new Map<string, RobotOnMap>()
  readonly alerts = new Map<string, Alert>()
  readonly cameras = new Map<string, CameraStatus>()
  readonly missions = new Map<string, Mission>()
  /** the latest telemetry sample; the charts append it when told */
  telemetry: Record<string, unknown> | null = null
  connection: Connection = 'connecting'
  reconnectAt: number | null = null
  /** Whether the console server is connected to the venue's broker, and since when (browser time). */
  bus = { connected: true, since: 0 }
  /** browser time of the last live message of any kind */
  lastMessageAt = 0
  /**
   * Venue clock minus browser clock. The monitor may run on a sim clock (the demo outside working
   * hours), so alert ages are reckoned on the clock that stamped them: the hello's `now` first,
   * then each tracks message's `at`.
   */
  venueOffset_ms = 0
  selectedAlert: string | null = null
  trajectory: { x: number; y: number }[][] = []
  private readonly listeners = new Map<Topic, Set<() => void>>()

  constructor(readonly venue: VenueView, readonly user: { user: string; role: string }) {
    const projectIndex = new Map(venue.projects.map((p, i) => [p.id, i]))
    this.people = new People((t: Track) => colours.personGroup(t.category, t.project === null ? undefined : projectIndex.get(t.project)))
  }

  on(topic: Topic, f: () => void): void {
    let set = this.listeners.get(topic)
    if (set === undefined) this.listeners.set(topic, (set = new Set()))
    set.add(f)
  }

  emit(topic: Topic): void {
    for (const f of this.listeners.get(topic) ?? []) f()
  }

  setConnection(c: Connection, reconnectAt: number | null = null): void {
    this.connection = c
    this.reconnectAt = reconnectAt
    this.emit('connection')
  }

  upsertAlert(a: Alert): void {
    this.alerts.set(a.id, a)
    this.emit('alerts')
  }

  /** From a snapshot: kept unless the live feed already brought a newer copy. */
  mergeAlert(a: Alert): void {
    const known = this.alerts.get(a.id)
    if (known !== undefined && (known.raisedAt ?? 0) > (a.raisedAt ?? 0)) return
    this.alerts.set(a.id, a)
  }

  upsertRobot(s: RobotStatus, now: number): void {
    const prev = this.robots.get(s.robot)
    const here = prev === undefined ? null : this.robotAt(prev, now)
    const from = here ?? s.floor ?? [0, 0]
    this.robots.set(s.robot, { status: s, fromX: from[0], fromY: from[1], t0: now, receivedAt: now })
    this.emit('robots')
  }

  /** Where a robot is drawn at `now`: a 1 s glide from the last drawn point to the reported one. */
  robotAt(r: RobotOnMap, now: number): readonly [number, number] | null {
    const to = r.status.floor
    if (to === null) return null
    const k = Math.min(1, Math.max(0, (now - r.t0) / 1000))
    return [r.fromX + (to[0] - r.fromX) * k, r.fromY + (to[1] - r.fromY) * k]
  }

  select(alertId: string | null): void {
    this.selectedAlert = alertId
    this.trajectory = []
    this.emit('selection')
  }

  /** Apply one live message received at browser time `now`. */
  apply(m: LiveMessage, now: number): void {
    this.lastMessageAt = now
    switch (m.type) {
      case 'hello':
        if (m.now !== null) this.venueOffset_ms = m.now - Date.now()
        return
      case 'bus':
        if (m.connected !== this.bus.connected) this.bus = { connected: m.connected, since: now }
        this.emit('connection')
        return
      case 'tracks':
        this.people.update(m.tracks, m.at, now)
        if (m.at !== null) this.venueOffset_ms = m.at - Date.now()
        return
      case 'alert':
        this.upsertAlert(m.alert)
        return
      case 'robot':
        this.upsertRobot(m.status, now)
        return
      case 'camera':
        this.cameras.set(m.status.camera, m.status)
        this.emit('cameras')
        return
      case 'mission':
        this.missions.set(m.state.missionId, m.state)
        this.emit('missions')
        return
      case 'telemetry':
        this.telemetry = m.sample
        this.emit('telemetry')
        return
    }
  }
}
