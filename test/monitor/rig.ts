/**
 * A running monitor on a real broker, with the clients that feed it and watch it: edge nodes publish
 * sightings, the fleet publishes robot status, the console collects alerts and sends actions.
 */
import type { RuleInput } from './rig-venue.js'
import { Bus } from '../../src/contract/bus.js'
import { stamp } from '../../src/contract/envelope.js'
import type { Alert } from '../../src/contract/venue/alerts.js'
import type { MissionRequest, RobotStatus } from '../../src/contract/venue/missions.js'
import type { SightingTrack } from '../../src/contract/venue/sightings.js'
import type { CameraStatus } from '../../src/contract/venue/status.js'
import type { Venue, VenueInput } from '../../src/config/index.js'
import { Monitor } from '../../src/monitor/monitor.js'
import { silentLogger } from '../../src/shared/log.js'
import { sleep, startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { password, SITE } from '../helpers/venue.js'
import { IN_SESSION, rigVenue } from './rig-venue.js'

export interface Face {
  trackId: string
  subject?: string
  floor: [number, number]
  liveness?: number | null
  score?: number
}

let clients = 0
const bus = (url: string, name: string): Bus => new Bus({ url, username: name, password: password(name), clientId: `${name}-rig-${process.pid}-${++clients}`, reconnectPeriod_ms: 200 })

export class Rig {
  readonly alerts: Alert[] = []
  readonly missions: MissionRequest[] = []
  monitor!: Monitor
  private edges = new Map<string, Bus>()
  private fleet!: Bus
  console!: Bus
  private frame = 0
  private offset = 0

  private constructor(
    readonly venue: Venue,
    readonly broker: RunningBroker,
    private readonly ownsBroker: boolean,
  ) {}

  /** Start a monitor (and a broker unless given) on `venue`; the monitor's clock starts at `clockAt`. */
  static async start(venue: Venue, o: { clockAt?: number; dbFile?: string; broker?: RunningBroker } = {}): Promise<Rig> {
    const rig = new Rig(venue, o.broker ?? (await startBroker(venue)), o.broker === undefined)
    rig.offset = (o.clockAt ?? IN_SESSION) - Date.now()
    const url = rig.broker.tcpUrl
    rig.console = bus(url, 'console')
    await rig.console.start()
    await rig.console.subscribe('alert', { site: SITE }, (a) => rig.alerts.push(a))
    await rig.console.subscribe('missionRequest', { site: SITE }, (m) => rig.missions.push(m))
    rig.fleet = bus(url, 'fleet')
    await rig.fleet.start()
    for (const node of ['edge-1', 'edge-2']) {
      const b = bus(url, node)
      await b.start()
      rig.edges.set(node, b)
    }
    await rig.startMonitor(o.dbFile)
    return rig
  }

  /** Rules-only shortcut: the rig venue with these rules. */
  static async withRules(rules: RuleInput[], o: { clockAt?: number; broker?: RunningBroker; dbFile?: string; venue?: Partial<VenueInput> } = {}): Promise<Rig> {
    return Rig.start(await rigVenue(rules, o.venue), o)
  }

  now(): number {
    return Date.now() + this.offset
  }

  async startMonitor(dbFile = ':memory:'): Promise<void> {
    this.monitor = new Monitor({
      venue: this.venue,
      url: this.broker.tcpUrl,
      username: 'monitor',
      password: password('monitor'),
      dbFile,
      logger: silentLogger(),
      clock: () => this.now(),
      tick_ms: 100,
    })
    await this.monitor.start()
  }

  /** One frame of a camera, published by the edge node that serves it. */
  async see(camera: string, faces: Face[], snapshot?: string): Promise<void> {
    const cam = this.venue.cameras.find((c) => c.id === camera)
    const edge = cam && this.edges.get(cam.edgeNode)
    if (edge === undefined) throw new Error(`no edge for ${camera}`)
    const tracks: SightingTrack[] = faces.map((f) => ({
      trackId: f.trackId,
      box: [100, 100, 200, 200],
      floor: f.floor,
      subject: f.subject ?? 'unknown',
      score: f.score ?? (f.subject === undefined ? 0.2 : 0.8),
      liveness: f.liveness === undefined ? 0.95 : f.liveness,
      quality: 0.9,
    }))
    const at = new Date(this.now())
    await edge.publish('cameraSightings', { site: SITE, camera }, { ...stamp(at), camera, frameId: ++this.frame, capturedAt: at.toISOString(), width_px: 1920, height_px: 1080, tracks, ...(snapshot ? { snapshot } : {}) })
  }

  /** Publish the same faces every `every_ms` for `for_ms` (a person standing, or walking when `move` is given). */
  async hold(camera: string, faces: Face[], for_ms: number, every_ms = 100, move?: (f: Face, t: number) => [number, number]): Promise<void> {
    const start = Date.now()
    for (;;) {
      const t = Date.now() - start
      await this.see(camera, move ? faces.map((f) => ({ ...f, floor: move(f, t) })) : faces)
      if (t >= for_ms) return
      await sleep(every_ms)
    }
  }

  async cameraStatus(s: Omit<CameraStatus, 'schemaVersion' | 'timestamp' | 'droppedFrames'>): Promise<void> {
    const edge = this.edges.get(s.node)
    if (edge === undefined) throw new Error(`no edge ${s.node}`)
    await edge.publish('cameraStatus', { site: SITE, camera: s.camera }, { ...stamp(new Date(this.now())), droppedFrames: 0, ...s })
  }

  async robotStatus(s: Partial<RobotStatus> & Pick<RobotStatus, 'robot'>): Promise<void> {
    await this.fleet.publish('robotStatus', { site: SITE, robot: s.robot }, {
      ...stamp(new Date(this.now())),
      kind: 'patrol',
      connection: 'online',
      mode: 'idle',
      battery_pct: 90,
      floor: [25, 5],
      theta_rad: 0,
      node: 'n1',
      mission: null,
      errors: [],
      faults: [],
      ...s,
    })
  }

  async act(alertId: string, action: 'acknowledge' | 'resolve', by: string, note = ''): Promise<void> {
    await this.console.publish('alertAction', { site: SITE }, { ...stamp(new Date(this.now())), alertId, action, by, note })
  }

  /** Distinct alerts received, latest copy of each. */
  distinct(): Alert[] {
    const byId = new Map<string, Alert>()
    for (const a of this.alerts) byId.set(a.id, a)
    return [...byId.values()]
  }

  async waitFor(pred: (a: Alert) => boolean, timeout_ms = 5000, what = 'alert'): Promise<Alert> {
    const deadline = Date.now() + timeout_ms
    for (;;) {
      const hit = [...this.alerts].reverse().find(pred)
      if (hit !== undefined) return hit
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeout_ms} ms; got: ${JSON.stringify(this.distinct().map((a) => [a.rule, a.subjects, a.zone, a.state]))}`)
      await sleep(20)
    }
  }

  async stopMonitor(): Promise<void> {
    await this.monitor.stop()
  }

  async stop(): Promise<void> {
    await this.monitor.stop()
    for (const b of [...this.edges.values(), this.fleet, this.console]) await b.stop()
    if (this.ownsBroker) await this.broker.broker.stop()
  }
}
