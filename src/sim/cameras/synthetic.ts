/**
 * Synthetic cameras (issue 7): each camera of the venue "sees" the simulated people in its zones and
 * publishes sightings exactly as an edge node would, with the noise of noise.ts, through one Bus per
 * edge node logged in as that node's 'edge' principal (the broker lets an edge publish only its own
 * node's status and its own cameras' status and sightings). Everything runs on SIM time: the caller
 * drives `publish(people, t_ms)` and each camera emits the frames due at its fps up to t.
 *
 *   const cams = new SyntheticCameras({ venue, seed: 7 })
 *   await cams.start({ url, credentials: (node) => ({ username: node, password: pw(node) }), t_ms })
 *   cams.cover('cam-a', t_ms + 30_000)            // dark for 30 s of sim time
 *   await cams.publish(world.people(), t_ms)      // every step of the sim clock
 *   await cams.stop()
 */
import type { Camera, Venue } from '../../config/index.js'
import { ZoneIndex } from '../../config/zones.js'
import { Bus, stamp, willFor, type CameraState, type Sightings } from '../../contract/index.js'
import type { SimPerson } from '../world/types.js'
import { CameraEye, type FrameContext } from './frame.js'
import { noiseOptions, type NoiseInput, type NoiseOptions } from './noise.js'

export interface SyntheticCamerasOptions {
  venue: Venue
  seed: number
  /** Frames per second of every camera, sim time. Default: each camera's configured fps, capped at `maxFps`. */
  fps?: number
  /** Cap on the default fps (a sim of many cameras need not analyse 25 fps). Default 5. */
  maxFps?: number
  noise?: NoiseInput
  /** Retained camera status is refreshed this often, sim ms, as the edge does. Default 10 000. */
  statusEvery_ms?: number
  /** A camera more than this far behind (sim ms) skips the older frames instead of sending them all. Default 5 000. */
  maxCatchUp_ms?: number
  /**
   * Where a failed publish goes. Given, `publish()` never rejects (for callers that fire it from a timer
   * without awaiting); not given, `publish()` rejects with the first error.
   */
  onError?: (err: unknown) => void
}

export interface SyntheticStartOptions {
  url: string
  /** Login of an edge node's principal. */
  credentials: (edgeNode: string) => { username: string; password: string }
  /** Sim time of the start: `since` of the first camera status. Default `clock()`, else Date.now(). */
  t_ms?: number
  /** The sim clock, epoch ms: the default start time, and the default start of a `cover()`. */
  clock?: () => number
  /** MQTT client id of an edge node's connection. Default `sim-edge-{site}-{node}-{pid}`. */
  clientId?: (edgeNode: string) => string
}

interface Cover {
  from: number
  until: number
}

interface CameraRun {
  eye: CameraEye
  node: string
  period_ms: number
  nextDue: number | undefined
  state: Extract<CameraState, 'online' | 'dark'>
  since: number
  lastFrameAt: number | null
  lastStatusAt: number
  covers: Cover[]
}

export const DARK_DETAIL = 'view covered: mean grey 4 (dark below 30), spread 2'

export class SyntheticCameras {
  readonly noise: NoiseOptions
  private readonly ctx: FrameContext
  private readonly runs = new Map<string, CameraRun>()
  private readonly buses = new Map<string, Bus>()
  private readonly site: string
  private readonly statusEvery_ms: number
  private readonly maxCatchUp_ms: number
  private now: number | undefined
  private clock: (() => number) | undefined
  private started = false

  constructor(private readonly o: SyntheticCamerasOptions) {
    this.noise = noiseOptions(o.noise)
    if (o.fps !== undefined && !(o.fps > 0 && o.fps <= 60)) throw new Error(`fps must be in (0, 60], got ${o.fps}`)
    const maxFps = o.maxFps ?? 5
    if (!(maxFps > 0)) throw new Error(`maxFps must be > 0, got ${maxFps}`)
    this.site = o.venue.site.id
    this.statusEvery_ms = o.statusEvery_ms ?? 10_000
    this.maxCatchUp_ms = o.maxCatchUp_ms ?? 5_000
    const roster = [...new Set([...o.venue.roster.projects.flatMap((p) => p.experts), ...o.venue.roster.staff.map((s) => s.subject)])]
    this.ctx = { zones: new ZoneIndex(o.venue), roster, noise: this.noise }
    for (const camera of o.venue.cameras) {
      const fps = o.fps ?? Math.min(camera.fps, maxFps)
      const eye = new CameraEye(camera, fps, o.seed)
      this.runs.set(camera.id, { eye, node: camera.edgeNode, period_ms: 1000 / fps, nextDue: undefined, state: 'online', since: 0, lastFrameAt: null, lastStatusAt: -Infinity, covers: [] })
    }
  }

  /** Ids of the simulated cameras. */
  get cameras(): string[] {
    return [...this.runs.keys()]
  }

  /** Frames per second (sim time) a camera runs at. */
  fpsOf(camera: string): number {
    return this.run(camera).eye.fps
  }

  /**
   * The pure part: the Sightings message of one frame of `camera` at sim time `t_ms`, from the people
   * of the world. Advances the camera's frame counter, track ids and random stream; no I/O.
   */
  frame(camera: string | Camera, people: readonly SimPerson[], t_ms: number): Sightings {
    return this.run(typeof camera === 'string' ? camera : camera.id).eye.render(this.ctx, people, t_ms)
  }

  /**
   * Cover a camera's view until sim time `until_ms` (from `from_ms`, default the latest sim time
   * published): it reports state 'dark' and sends no sightings while covered, 'online' after.
   * Takes effect at the next `publish()`.
   */
  cover(camera: string, until_ms: number, from_ms?: number): void {
    const from = from_ms ?? this.clock?.() ?? this.now ?? -Infinity
    if (!(until_ms > from)) throw new Error(`cover of ${camera}: until (${until_ms}) must be after from (${from})`)
    this.run(camera).covers.push({ from, until: until_ms })
  }

  /** Whether a camera is covered at sim time t. */
  covered(camera: string, t_ms: number): boolean {
    return this.run(camera).covers.some((c) => t_ms >= c.from && t_ms < c.until)
  }

  get connected(): boolean {
    return this.buses.size > 0 && [...this.buses.values()].every((b) => b.connected)
  }

  /** Connect one Bus per edge node; publish each node 'online' and each camera 'online' (retained). */
  async start(s: SyntheticStartOptions): Promise<void> {
    if (this.started) throw new Error('synthetic cameras already started')
    this.started = true
    this.clock = s.clock
    const t = s.t_ms ?? s.clock?.() ?? Date.now()
    const site = this.site
    const nodes = [...new Set([...this.runs.values()].map((r) => r.node))]
    try {
      for (const node of nodes) {
        const { username, password } = s.credentials(node)
        const bus = new Bus({
          url: s.url,
          username,
          password,
          clientId: s.clientId?.(node) ?? `sim-edge-${site}-${node}-${process.pid}`,
          reconnectPeriod_ms: 1000,
          will: willFor('edgeStatus', { site, node }, { ...stamp(new Date(t)), node, state: 'offline', cameras: this.camerasOf(node) }),
        })
        this.buses.set(node, bus)
        await bus.start()
        await bus.publish('edgeStatus', { site, node }, { ...stamp(new Date(t)), node, state: 'online', cameras: this.camerasOf(node), queued: 0, dropped: 0 })
      }
      for (const [id, r] of this.runs) {
        r.state = 'online'
        r.since = t
        await this.publishStatus(id, r, t)
      }
      this.now = t
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  /**
   * Publish what every camera sends up to sim time `t_ms`: status changes (covered / uncovered, the
   * periodic refresh) and the sightings of each frame due at the camera's fps. The first call starts
   * every camera's frame clock at t; a t before the latest one is ignored. All state changes happen
   * before the first await, so calls that overlap (a timer that does not wait) stay in order.
   * Resolves to the number of sightings messages sent.
   */
  /**
   * The people standing in any of some zones, in the order of `people` (the order of the cameras'
   * random draws): each person's zones are looked up once per call, not once per camera.
   */
  private byZone(people: readonly SimPerson[]): (zones: readonly string[]) => SimPerson[] {
    const index = new Map<string, number[]>()
    people.forEach((p, i) => {
      if (!p.present) return
      const zones = this.ctx.zones.zonesAt(p.floor)
      if (p.zone !== null && !zones.includes(p.zone)) zones.push(p.zone)
      for (const z of zones) {
        const list = index.get(z)
        if (list === undefined) index.set(z, [i])
        else list.push(i)
      }
    })
    return (zones) => {
      if (zones.length === 1) return (index.get(zones[0]!) ?? []).map((i) => people[i]!)
      const all = new Set<number>()
      for (const z of zones) for (const i of index.get(z) ?? []) all.add(i)
      return [...all].sort((a, b) => a - b).map((i) => people[i]!)
    }
  }

  async publish(people: readonly SimPerson[], t_ms: number): Promise<number> {
    if (!this.started) throw new Error('synthetic cameras not started')
    if (this.now !== undefined && t_ms < this.now) return 0
    this.now = t_ms
    const sends: Array<Promise<void>> = []
    let frames = 0
    // looked up on the first frame due (most steps of a fast clock have none)
    let inZones: ((zones: readonly string[]) => SimPerson[]) | undefined
    for (const [id, r] of this.runs) {
      const bus = this.bus(r.node)
      const dark = this.covered(id, t_ms)
      if (dark !== (r.state === 'dark')) {
        r.state = dark ? 'dark' : 'online'
        if (dark) r.since = Math.max(r.since, r.covers.find((c) => t_ms >= c.from && t_ms < c.until)?.from ?? t_ms)
        else r.since = Math.min(t_ms, Math.max(r.since, ...r.covers.filter((c) => c.until <= t_ms).map((c) => c.until)))
        sends.push(this.publishStatus(id, r, t_ms))
      } else if (t_ms - r.lastStatusAt >= this.statusEvery_ms) sends.push(this.publishStatus(id, r, t_ms))
      r.covers = r.covers.filter((c) => c.until > t_ms)

      r.nextDue ??= t_ms
      if (t_ms - r.nextDue > this.maxCatchUp_ms) r.nextDue += Math.ceil((t_ms - this.maxCatchUp_ms - r.nextDue) / r.period_ms) * r.period_ms
      for (; r.nextDue <= t_ms; r.nextDue += r.period_ms) {
        const at = Math.round(r.nextDue)
        if (this.covered(id, at)) continue
        const msg = r.eye.render(this.ctx, (inZones ??= this.byZone(people))(r.eye.camera.zones), at)
        r.lastFrameAt = at
        frames++
        sends.push(bus.publish('cameraSightings', { site: this.site, camera: id }, msg))
      }
    }
    try {
      await Promise.all(sends)
    } catch (err) {
      if (this.o.onError === undefined) throw err
      this.o.onError(err)
    }
    return frames
  }

  /** Publish each edge node 'offline' (a clean stop leaves no will) and disconnect. */
  async stop(): Promise<void> {
    const buses = [...this.buses]
    this.buses.clear()
    const at = new Date(this.now ?? Date.now())
    for (const [node, bus] of buses) {
      if (bus.connected) {
        await bus
          .publish('edgeStatus', { site: this.site, node }, { ...stamp(at), node, state: 'offline', cameras: this.camerasOf(node), queued: 0, dropped: 0 })
          .catch(() => undefined)
      }
      await bus.stop()
    }
    this.started = false
  }

  /** Publish a camera's status as it is now; the payload is built at once, before any await. */
  private publishStatus(id: string, r: CameraRun, t_ms: number): Promise<void> {
    r.lastStatusAt = t_ms
    const online = r.state === 'online'
    return this.bus(r.node).publish('cameraStatus', { site: this.site, camera: id }, {
      ...stamp(new Date(t_ms)),
      camera: id,
      node: r.node,
      state: r.state,
      since: new Date(r.since).toISOString(),
      fps: online ? Math.round(r.eye.fps * 10) / 10 : 0,
      lastFrameAt: r.lastFrameAt === null ? null : new Date(r.lastFrameAt).toISOString(),
      droppedFrames: 0,
      ...(online ? {} : { detail: DARK_DETAIL }),
    })
  }

  private camerasOf(node: string): string[] {
    return [...this.runs].filter(([, r]) => r.node === node).map(([id]) => id)
  }

  private run(camera: string): CameraRun {
    const r = this.runs.get(camera)
    if (r === undefined) throw new Error(`no camera "${camera}" in the venue`)
    return r
  }

  private bus(node: string): Bus {
    const b = this.buses.get(node)
    if (b === undefined) throw new Error(`no connection for edge node "${node}"`)
    return b
  }
}
