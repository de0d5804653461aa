/**
 * The simulator as a component: the world of people, the synthetic cameras and the simulated VDA 5050
 * robots, advanced on a sim clock (speed x wall time) and connected to the broker as the venue's own
 * edge nodes and robots. It is a client of the contract like any camera or robot.
 */
import type { Venue } from '../config/schema/venue.js'
import type { Logger } from '../shared/log.js'
import { mulberry32 } from '../shared/random.js'
import { SyntheticCameras } from './cameras/synthetic.js'
import { faceOrder, PixelCameras, preview, type PixelCameraStats } from './pixels/index.js'
import type { ScenarioDeviation } from './scenario.js'
import { SimVehicle } from './vehicle/index.js'
import type { Deviation, SimPerson } from './world/types.js'
import { World } from './world/world.js'

export interface Login {
  username: string
  password: string
}

export interface SimRunnerOptions {
  venue: Venue
  url: string
  /** The login of a principal by name (edge-1, robot-gr-001, ...). */
  login: (principal: string) => Login
  /** Sim time at start, epoch ms. */
  start_ms: number
  /** Sim seconds per wall second. */
  speed: number
  seed: number
  visitors?: number
  logger: Logger
  /** Deviations at given sim times after the start. */
  deviations?: readonly ScenarioDeviation[]
  /** Demo mode: a random deviation about this often (sim seconds); 0 = none. */
  randomDeviationEvery_s?: number
  /** Wall ms between two steps of the world (default: about 0.2 sim s, 10-100 wall ms). */
  tick_ms?: number
  /** Frames per second of every synthetic camera, sim time (default: each camera's fps, at most 5). */
  cameraFps?: number
  /** Wall time (epoch ms) the sim clock starts at start_ms (default: once the pixel cameras are ready). */
  wall0?: number
  /** Pixel mode: these cameras are rendered, served over RTSP and read by a real edge node (see pixels/). */
  pixels?: PixelModeOptions
}

export interface PixelModeOptions {
  /** Camera ids; `venue` must already be `pixelVenue(venue, cameras)`. */
  cameras: readonly string[]
  /** The venue file (model paths in it are relative to it). */
  venueFile: string
  /** Sim seconds of the world to look ahead for who the cameras will see (default 1800). */
  preview_s?: number
  facesDir?: string
  slots?: number
}

/** The world and the cameras advance at most this much sim time per step... */
const MAX_STEP_MS = 250
/** ...and at most this many steps per tick: past that (a long stall), the world jumps. */
const MAX_STEPS = 40

/** Sim ms before kitchen staff confirm a robot's loading, and before an expert takes a meal at the hatch. */
const LOAD_MS = 20_000
const HATCH_MS = 8_000
/** A hatch no expert comes to is closed as unattended after this (sim ms). */
const UNATTENDED_MS = 120_000

/** A world step longer than this (wall ms) is logged. */
const SLOW_TICK_MS = 100

/** Deviations the demo picks from: each one ends by itself. */
const DEMO_KINDS = ['wrong_room', 'intruder', 'camera_covered', 'cross_project_meeting'] as const

export class SimRunner {
  private world: World | undefined
  private cameras: SyntheticCameras | undefined
  private pixels: PixelCameras | undefined
  readonly vehicles = new Map<string, SimVehicle>()
  private timer: NodeJS.Timeout | undefined
  private wall0 = 0
  private pending: ScenarioDeviation[] = []
  private nextRandom = Infinity
  private lastLog = 0
  /** Robots' buttons waiting to be pressed, since when (sim ms). */
  private readonly buttons = new Map<string, number>()
  /** Sim time the world was last stepped to. */
  private stepped: number | undefined
  private readonly rand: () => number

  constructor(private readonly o: SimRunnerOptions) {
    this.rand = mulberry32(o.seed ^ 0x5eed)
  }

  /** Sim time now, epoch ms. */
  readonly clock = (): number => this.o.start_ms + (this.wall0 === 0 ? 0 : (Date.now() - this.wall0) * this.o.speed)

  async start(): Promise<void> {
    const { venue } = this.o
    this.world = new World(venue, { seed: this.o.seed, start_ms: this.o.start_ms, visitors: this.o.visitors ?? 3 })
    this.stepped = undefined
    const px = this.o.pixels
    if (px !== undefined && px.cameras.length > 0) {
      // before the sim clock starts: the photos, the gallery and the edge node take seconds to get ready
      const seen = preview(venue, { seed: this.o.seed, start_ms: this.o.start_ms, visitors: this.o.visitors ?? 3, deviations: this.o.deviations ?? [], duration_s: px.preview_s ?? 1800 })
      this.pixels = new PixelCameras({ venue, venueFile: px.venueFile, cameras: px.cameras, url: this.o.url, login: this.o.login, clock: this.clock, logger: this.o.logger.child({ pixels: true }), faceOrder: faceOrder(seen, px.cameras), seed: this.o.seed, ...(px.facesDir === undefined ? {} : { facesDir: px.facesDir }), ...(px.slots === undefined ? {} : { slots: px.slots }) })
      this.pixels.update(this.world.people())
      await this.pixels.start()
    }
    this.wall0 = this.o.wall0 ?? Date.now()
    // Identity noise as the vision benchmark measured it: no wrong name (0 of 24) and no enrolled face
    // left unknown; the edge's consensus holds a track's identity, so no per-frame flicker either.
    const synthetic = { ...venue, cameras: venue.cameras.filter((c) => !(px?.cameras ?? []).includes(c.id)) }
    this.cameras = new SyntheticCameras({ venue: synthetic, seed: this.o.seed, noise: { misidRate: 0, unknownRate: 0 }, ...(this.o.cameraFps === undefined ? {} : { fps: this.o.cameraFps }), onError: (err) => this.o.logger.warn({ err }, 'synthetic camera publish failed') })
    await this.cameras.start({ url: this.o.url, credentials: (edge) => this.o.login(edge), clock: this.clock })
    for (const robot of venue.robots.filter((r) => r.transport === 'vda5050')) {
      const principal = venue.principals.find((p) => p.role === 'robot' && p.robot === robot.id)
      if (principal === undefined) {
        this.o.logger.warn({ robot: robot.id }, 'no robot principal speaks for this robot: not simulated')
        continue
      }
      const v = new SimVehicle({ venue, robot: robot.id, url: this.o.url, ...this.o.login(principal.name), startNode: robot.dockNode, speed: this.o.speed, speed_mps: 1.2, battery_pct: 70 + this.rand() * 30, statePeriod_ms: Math.max(50, 1000 / this.o.speed) })
      await v.start()
      this.vehicles.set(robot.id, v)
    }
    this.pending = [...(this.o.deviations ?? [])].sort((a, b) => a.at_s - b.at_s)
    const every = this.o.randomDeviationEvery_s ?? 0
    // the first one soon, so that a newcomer sees an alert within a minute
    if (every > 0) this.nextRandom = this.o.start_ms + Math.min(every, 40) * 1000 * (0.5 + this.rand())
    // the world moves in steps of about 0.2 sim s, whatever the speed: cameras see people where they are
    this.timer = setInterval(() => this.tick(), this.o.tick_ms ?? Math.min(100, Math.max(10, 200 / this.o.speed)))
    this.o.logger.info({ people: this.world.people().length, cameras: venue.cameras.length, robots: this.vehicles.size, speed: this.o.speed }, 'simulator running')
  }

  /** What the pixel cameras and their edge node did, per camera (empty without pixel mode). */
  pixelStats(): Record<string, PixelCameraStats> {
    return this.pixels?.stats() ?? {}
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.pixels?.stop()
    await this.cameras?.stop()
    for (const v of this.vehicles.values()) await v.stop()
    this.vehicles.clear()
  }

  private tick(): void {
    const world = this.world
    const cameras = this.cameras
    if (world === undefined || cameras === undefined) return
    const t = this.clock()
    // a late timer (a busy process, a fast clock) must not make people jump: the world and the
    // cameras advance in steps of at most MAX_STEP_MS sim, so each frame shows people where they
    // were at its own time (a camera pair would otherwise see someone 'in two places')
    const from = Math.max(this.stepped ?? t, t - MAX_STEP_MS * MAX_STEPS)
    const steps = Math.max(1, Math.ceil((t - from) / MAX_STEP_MS))
    let people = world.people()
    const wallStart = performance.now()
    for (let k = 1; k <= steps; k++) {
      const tk = k === steps ? t : Math.round(from + ((t - from) * k) / steps)
      this.deviationsDue(tk)
      world.step(tk)
      people = world.people()
      cameras.publish(people, tk)
    }
    this.stepped = t
    this.pressButtons(people, t)
    const took = performance.now() - wallStart
    // a slow step delays the simulated robots' states too: say so, the fleet may call them lost
    if (took > SLOW_TICK_MS) this.o.logger.warn({ wall_ms: Math.round(took), steps, simTime: new Date(t).toISOString() }, 'simulator step was slow')
    this.pixels?.update(people)
    if (Date.now() - this.lastLog > 30_000) {
      this.lastLog = Date.now()
      const present = people.filter((p) => p.present)
      const moving = new Map<string, number>()
      for (const p of present) if (p.zone !== null) moving.set(p.zone, (moving.get(p.zone) ?? 0) + 1)
      this.o.logger.info({ present: present.length, byZone: Object.fromEntries(moving), simTime: new Date(t).toISOString() }, `${present.length} people in the venue`)
    }
  }

  /**
   * People at the robots' buttons: kitchen staff confirm loading after LOAD_MS, and an expert in the
   * room takes the meal at the hatch after HATCH_MS (their pseudonym is the proof's "confirmed by");
   * a hatch nobody comes to is closed after UNATTENDED_MS as unattended.
   */
  private pressButtons(people: readonly SimPerson[], t: number): void {
    const waiting = new Set<string>()
    for (const v of this.vehicles.values()) {
      for (const a of v.awaitingTrigger()) {
        waiting.add(a.actionId)
        const since = this.buttons.get(a.actionId) ?? t
        this.buttons.set(a.actionId, since)
        const room = typeof a.parameters.room === 'string' ? a.parameters.room : undefined
        if (room === undefined) {
          if (t - since >= LOAD_MS) v.trigger(a.actionId, 'kitchen staff')
          continue
        }
        if (t - since < HATCH_MS) continue
        const taker = people.find((p) => p.present && p.kind === 'expert' && p.zone === room)
        if (taker?.subject != null) v.trigger(a.actionId, taker.subject)
        else if (t - since >= UNATTENDED_MS) v.trigger(a.actionId, 'unattended')
      }
    }
    for (const id of this.buttons.keys()) if (!waiting.has(id)) this.buttons.delete(id)
  }

  private deviationsDue(t: number): void {
    while (this.pending[0] !== undefined && this.o.start_ms + this.pending[0].at_s * 1000 <= t) this.apply(this.pending.shift()!, t)
    if (t >= this.nextRandom) {
      this.nextRandom = t + (this.o.randomDeviationEvery_s ?? 0) * 1000 * (0.5 + this.rand())
      const d = this.randomDeviation()
      if (d !== undefined) this.apply(d, t)
    }
  }

  private apply(d: ScenarioDeviation, t: number): void {
    this.o.logger.info({ deviation: d.kind, at: new Date(t).toISOString() }, `deviation: ${d.kind}`)
    if (d.kind === 'camera_covered') {
      if (this.o.pixels?.cameras.includes(d.camera) === true) this.pixels?.cover(d.camera, t + d.for_s * 1000)
      else this.cameras?.cover(d.camera, t + d.for_s * 1000)
      return
    }
    if (d.kind === 'robot_breakdown') {
      this.vehicles.get(d.robot)?.kill()
      return
    }
    const { at_s: _at, ...rest } = d
    this.world?.inject(rest as Deviation, t)
  }

  /** A deviation for the demo, on people and cameras that exist. */
  private randomDeviation(): ScenarioDeviation | undefined {
    const { venue } = this.o
    const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(this.rand() * xs.length)]
    const kind = pick(DEMO_KINDS)
    const projects = venue.roster.projects
    const p1 = pick(projects)
    const p2 = pick(projects.filter((p) => p !== p1))
    switch (kind) {
      case 'wrong_room': {
        const subject = p1 && pick(p1.experts)
        const room = p2?.rooms[0]
        return subject && room ? { at_s: 0, kind, subject, room, for_s: 90 } : undefined
      }
      case 'cross_project_meeting': {
        const a = p1 && pick(p1.experts)
        const b = p2 && pick(p2.experts)
        const zone = pick(venue.floor.zones.filter((z) => z.kind === 'restroom'))?.id
        return a && b && zone ? { at_s: 0, kind, subjects: [a, b], zone, for_s: 60 } : undefined
      }
      case 'intruder': {
        const zone = pick(venue.floor.zones.filter((z) => z.kind === 'restricted' || z.kind === 'staff'))?.id
        return zone ? { at_s: 0, kind, zone, for_s: 60 } : undefined
      }
      case 'camera_covered': {
        const camera = pick(venue.cameras)?.id
        return camera ? { at_s: 0, kind, camera, for_s: 45 } : undefined
      }
      default:
        return undefined
    }
  }
}
