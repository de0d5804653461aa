import { randomBytes } from 'node:crypto'
import { Bus, type Alert, type CameraStatus, type EdgeStatus, type MissionState, type RobotStatus, type Tracks } from '../../contract/index.js'
import type { Logger } from '../../shared/log.js'

/** What the page's WebSocket carries from the bus (the `type` names are the page's contract). */
export type BusUpdate =
  | { type: 'tracks'; at: string; tracks: Tracks['tracks'] }
  | { type: 'alert'; alert: Alert }
  | { type: 'robot'; status: RobotStatus }
  | { type: 'camera'; status: CameraStatus }
  | { type: 'mission'; state: MissionState }
  | { type: 'edge'; status: EdgeStatus }
  /** The console's own link to the broker: while it is down nothing on the page can update. */
  | { type: 'bus'; connected: boolean; since: string }

export interface LiveStateOptions {
  site: string
  url: string
  username: string
  password: string
  logger: Logger
}

/** How many finished missions are kept for GET /api/missions (the retained ones come back on restart). */
const FINISHED_MISSIONS_KEPT = 200

/**
 * The console's view of the bus: the latest tracks, open alerts, robot, camera, mission and edge
 * statuses, kept in memory (retained topics refill it after a restart), and every change passed on.
 */
export class LiveState {
  tracks: Tracks | undefined
  readonly alerts = new Map<string, Alert>()
  readonly robots = new Map<string, RobotStatus>()
  readonly cameras = new Map<string, CameraStatus>()
  readonly missions = new Map<string, MissionState>()
  readonly edges = new Map<string, EdgeStatus>()
  private readonly listeners = new Set<(u: BusUpdate) => void>()
  private bus: Bus | undefined
  private busSince = new Date(0).toISOString()

  constructor(private readonly o: LiveStateOptions) {}

  async start(): Promise<void> {
    const o = this.o
    const bus = new Bus({
      url: o.url,
      username: o.username,
      password: o.password,
      // several consoles (or a restarted one) may run at once: the broker drops a duplicate client id
      clientId: `console-${o.site}-${randomBytes(4).toString('hex')}`,
      onInvalid: (topic, error) => o.logger.warn({ topic, error }, 'invalid message dropped'),
      onHandlerError: (topic, err) => o.logger.error({ topic, err }, 'console handler failed'),
    })
    const site = { site: o.site }
    await bus.subscribe('tracks', site, (t) => {
      this.tracks = t
      this.emit({ type: 'tracks', at: t.timestamp, tracks: t.tracks })
    })
    await bus.subscribe('alert', site, (a) => {
      if (a.state === 'resolved') this.alerts.delete(a.id)
      else this.alerts.set(a.id, a)
      this.emit({ type: 'alert', alert: a })
    })
    await bus.subscribe('robotStatus', site, (s) => {
      this.robots.set(s.robot, s)
      this.emit({ type: 'robot', status: s })
    })
    await bus.subscribe('cameraStatus', site, (s) => {
      this.cameras.set(s.camera, s)
      this.emit({ type: 'camera', status: s })
    })
    await bus.subscribe('missionState', site, (m) => {
      this.missions.delete(m.missionId) // re-inserted last: the map stays in update order for pruning
      this.missions.set(m.missionId, m)
      this.pruneMissions()
      this.emit({ type: 'mission', state: m })
    })
    await bus.subscribe('edgeStatus', site, (s) => {
      this.edges.set(s.node, s)
      this.emit({ type: 'edge', status: s })
    })
    this.bus = bus
    bus.onConnection((connected) => {
      this.busSince = new Date().toISOString()
      if (!connected) o.logger.warn('console lost the broker: the pages are told, and nothing updates until it is back')
      this.emit({ type: 'bus', connected, since: this.busSince })
    })
    await bus.start()
  }

  async stop(): Promise<void> {
    const bus = this.bus
    this.bus = undefined
    this.listeners.clear()
    await bus?.stop()
  }

  /** The bus, for publishing commands; throws before start. */
  get publisher(): Bus {
    if (this.bus === undefined) throw new Error('console bus not started')
    return this.bus
  }

  get connected(): boolean {
    return this.bus?.connected ?? false
  }

  onUpdate(listener: (u: BusUpdate) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The latest of everything, as the messages a new page receives on connect. */
  snapshot(): BusUpdate[] {
    const out: BusUpdate[] = [{ type: 'bus', connected: this.connected, since: this.busSince }]
    for (const s of this.edges.values()) out.push({ type: 'edge', status: s })
    for (const s of this.cameras.values()) out.push({ type: 'camera', status: s })
    for (const s of this.robots.values()) out.push({ type: 'robot', status: s })
    for (const m of this.missions.values()) out.push({ type: 'mission', state: m })
    for (const a of this.alerts.values()) out.push({ type: 'alert', alert: a })
    if (this.tracks !== undefined) out.push({ type: 'tracks', at: this.tracks.timestamp, tracks: this.tracks.tracks })
    return out
  }

  private pruneMissions(): void {
    if (this.missions.size <= FINISHED_MISSIONS_KEPT) return
    for (const [id, m] of this.missions) {
      if (this.missions.size <= FINISHED_MISSIONS_KEPT) break
      if (m.endedAt !== null) this.missions.delete(id)
    }
  }

  private emit(u: BusUpdate): void {
    for (const l of this.listeners) {
      try {
        l(u)
      } catch (err) {
        this.o.logger.error({ err }, 'console listener failed')
      }
    }
  }
}
