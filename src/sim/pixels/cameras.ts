/**
 * Pixel cameras (issue 7): some of the venue's cameras as real video. Each one renders the world's
 * people as faces on a background (renderer.ts), ffmpeg encodes that live to H.264, the GStreamer RTSP
 * server serves it, and a real EdgeNode (one per edge node of the chosen cameras, serving only them)
 * reads it over RTSP, detects, recognises against a gallery enrolled for the run, and publishes
 * sightings and camera status as any edge would. Capture times follow the sim clock.
 *
 *   const px = new PixelCameras({ venue, venueFile, cameras: ['cam-08'], url, login, clock, ... })
 *   await px.start()                 // face book, gallery, RTSP server, encoders, edge node(s)
 *   px.update(world.people())        // every step of the world; frames are rendered at the camera fps
 *   await px.stop()
 *
 * Video runs in real time: pixel mode means speed 1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Camera, Venue } from '../../config/index.js'
import { boxToFloor } from '../../config/homography.js'
import { ZoneIndex } from '../../config/zones.js'
import { Bus } from '../../contract/index.js'
import { CameraHealth } from '../../edge/health/index.js'
import { EdgeNode } from '../../edge/node.js'
import { rtspSource } from '../../edge/sources/index.js'
import type { Logger } from '../../shared/log.js'
import { Gallery, parseGalleryKey } from '../../vision/gallery/index.js'
import type { SimPerson } from '../world/types.js'
import { defaultFacesDir, FaceBook } from './facebook.js'
import { LiveEncoder } from './encoder.js'
import { CameraRenderer } from './renderer.js'
import { GroundTruth, type TruthSummary } from './truth.js'
import { freeUdpPort, RtspServer } from './server.js'

interface Login {
  username: string
  password: string
}

export interface PixelCamerasOptions {
  /** The venue as pixel mode runs it (`pixelVenue`): these cameras at their render size. */
  venue: Venue
  /** The venue file: model paths in it are relative to it. */
  venueFile: string
  cameras: readonly string[]
  url: string
  login: (principal: string) => Login
  clock: () => number
  logger: Logger
  /** Subjects in the order they get a photo (see facebook.ts); default the roster's order. */
  faceOrder?: readonly string[]
  facesDir?: string
  /** Analysis slots per edge node (default 1: two cores also run the encoders and the roles). */
  slots?: number
  seed?: number
}

export interface PixelCameraStats {
  /** Frames rendered, and dropped because the encoder was behind. */
  rendered: number
  encoderDropped: number
  /** What the edge did: frames decoded, frames analysed. */
  edgeFrames: number
  analysed: number
  /** Sightings messages the edge published for this camera (seen on the bus), and subjects named in them. */
  sightings: number
  subjects: Record<string, number>
  /** The named sightings judged against where the world had people (truth.ts). */
  truth: TruthSummary
}

interface Run {
  camera: Camera
  renderer: CameraRenderer
  encoder: LiveEncoder
  coveredUntil: number
  stats: { sightings: number; subjects: Record<string, number> }
  /** Subjects named in the camera's latest sightings message. */
  lastNamed: number
}

/** How long start() waits for the edge to name the faces already in view. */
const SETTLE_MS = 60_000
/** Drawn face widths, px: above the edge's default minimum face (40), at most a sixth of the frame's height. */
const MIN_FACE = 44
const maxFace = (c: Camera): number => Math.round(c.height_px / 6)

export class PixelCameras {
  private readonly runs = new Map<string, Run>()
  private readonly edges: EdgeNode[] = []
  private server: RtspServer | undefined
  private observer: Bus | undefined
  private timer: NodeJS.Timeout | undefined
  private dir: string | undefined
  private people: readonly SimPerson[] = []
  private book: FaceBook | undefined
  /** Where the world had people, to judge every pixel camera's named sightings against. */
  private readonly truth = new GroundTruth()

  constructor(private readonly o: PixelCamerasOptions) {}

  get cameras(): string[] {
    return [...this.o.cameras]
  }

  /** Subjects with a photo of their own (the rest show the stranger's face). */
  get withFaces(): string[] {
    return this.book?.subjects() ?? []
  }

  async start(): Promise<void> {
    const { venue, logger } = this.o
    const cams = this.o.cameras.map((id) => {
      const c = venue.cameras.find((x) => x.id === id)
      if (c === undefined) throw new Error(`no camera "${id}" in the venue`)
      return c
    })
    if (cams.length === 0) return
    try {
      await this.startAll(cams)
    } catch (err) {
      await this.stop()
      throw err
    }
    logger.info({ cameras: this.cameras, faces: this.withFaces.length, size: `${cams[0]!.width_px}x${cams[0]!.height_px}`, fps: cams[0]!.fps }, 'pixel cameras running: rendered, encoded, served over RTSP and read by a real edge node')
  }

  private async startAll(cams: Camera[]): Promise<void> {
    const { venue, logger } = this.o
    const dir = await mkdtemp(join(tmpdir(), 'venue-pixels-'))
    this.dir = dir
    const roster = [...venue.roster.projects.flatMap((p) => p.experts), ...venue.roster.staff.map((s) => s.subject)]
    const book = await FaceBook.load({ dir: this.o.facesDir ?? defaultFacesDir(), subjects: [...(this.o.faceOrder ?? []), ...roster], widths: { min: MIN_FACE, max: Math.max(...cams.map(maxFace)), step: 4 } })
    this.book = book

    // a gallery for this run only, under a key made for it
    const keyHex = randomBytes(32).toString('hex')
    const keyFile = join(dir, 'gallery.key')
    await writeFile(keyFile, keyHex + '\n', { mode: 0o600 })
    const galleryDir = join(dir, 'gallery')
    const gallery = await Gallery.open(galleryDir, parseGalleryKey(keyHex, 'pixel mode'), { matchThreshold: venue.vision.match.threshold, margin: venue.vision.match.margin })
    book.enrol(gallery)
    await gallery.save()

    const zones = new ZoneIndex(venue)
    const ports = new Map<string, number>()
    for (const c of cams) ports.set(c.id, await freeUdpPort())
    this.server = new RtspServer({ mounts: Object.fromEntries(cams.map((c) => [c.id, { rtp: ports.get(c.id)! }])) })
    await this.server.start()
    cams.forEach((camera, i) => {
      const renderer = new CameraRenderer({ camera, zones, faces: (s) => book.spritesFor(s), minFace: MIN_FACE, maxFace: maxFace(camera), seed: (this.o.seed ?? 1) + i })
      const encoder = new LiveEncoder({ width: camera.width_px, height: camera.height_px, fps: camera.fps, port: ports.get(camera.id)!, onError: (m) => logger.warn({ camera: camera.id, ffmpeg: m }, 'pixel encoder') })
      encoder.start()
      this.runs.set(camera.id, { camera, renderer, encoder, coveredUntil: -Infinity, stats: { sightings: 0, subjects: {} }, lastNamed: 0 })
    })
    const fps = Math.max(...cams.map((c) => c.fps))
    this.timer = setInterval(() => this.renderAll(), 1000 / fps)

    await this.watch()
    const server = this.server
    const edgeVenue: Venue = {
      ...venue,
      cameras: venue.cameras.map((c) => (this.runs.has(c.id) ? { ...c, rtspUrl: server.url(c.id) } : c)),
      vision: { ...venue.vision, gallery: { dir: galleryDir, keyFile } },
    }
    for (const node of [...new Set(cams.map((c) => c.edgeNode))]) {
      const principal = venue.principals.find((p) => p.role === 'edge' && p.edgeNode === node)
      if (principal === undefined) throw new Error(`no edge principal speaks for edge node "${node}"`)
      const edge = new EdgeNode({
        venue: edgeVenue,
        venueFile: this.o.venueFile,
        node,
        url: this.o.url,
        ...this.o.login(principal.name),
        logger,
        slots: this.o.slots ?? 1,
        cameras: cams.filter((c) => c.edgeNode === node).map((c) => c.id),
        clock: this.o.clock,
        clientId: `sim-pixels-${venue.site.id}-${node}-${process.pid}`,
        outboxFile: join(dir, `outbox-${node}.sqlite`),
        galleryKeyFile: keyFile,
        sourceFor: (c) => rtspSource(server.url(c.id), { id: c.id, width: c.width_px, height: c.height_px, fps: c.fps, logger: logger.child({ camera: c.id }) }),
        healthFor: () => new CameraHealth(this.o.clock()),
      })
      this.edges.push(edge)
      await edge.start()
    }
    await this.settle()
  }

  /**
   * Wait until the edge names, on every camera, the people in view who have a face of their own. A
   * fresh track stays unknown for a few frames (the edge recognises one face a frame and waits for a
   * consensus); were the scenario to start meanwhile, the monitor would see strangers in the rooms.
   * The caller's sim clock does not run yet, so this wait costs no scenario time.
   */
  private async settle(): Promise<void> {
    const own = new Set(this.withFaces)
    const deadline = Date.now() + SETTLE_MS
    const pending = (): string[] =>
      [...this.runs].filter(([, r]) => r.stats.sightings === 0 || r.lastNamed < r.renderer.placed(this.people).filter((p) => p.subject !== null && own.has(p.subject)).length).map(([id]) => id)
    while (pending().length > 0) {
      if (Date.now() > deadline) {
        this.o.logger.warn({ cameras: pending() }, 'pixel cameras: the edge has not named everyone in view yet; going on')
        return
      }
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  /** The people of the world now; frames are rendered from the latest ones. */
  update(people: readonly SimPerson[]): void {
    this.people = people
    this.truth.record(this.o.clock(), people)
  }

  /** Cover a camera's lens until sim time `until_ms`: its frames go dark. */
  cover(camera: string, until_ms: number): void {
    const r = this.runs.get(camera)
    if (r === undefined) throw new Error(`"${camera}" is not a pixel camera`)
    r.coveredUntil = until_ms
  }

  stats(): Record<string, PixelCameraStats> {
    const out: Record<string, PixelCameraStats> = {}
    for (const [id, r] of this.runs) {
      const w = this.edges.map((e) => e.cameras.get(id)).find((x) => x !== undefined)?.stats()
      out[id] = { rendered: r.encoder.counters.frames, encoderDropped: r.encoder.counters.dropped, edgeFrames: w?.frames ?? 0, analysed: w?.analysed ?? 0, sightings: r.stats.sightings, subjects: { ...r.stats.subjects }, truth: this.truth.summary(id) }
    }
    return out
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    for (const e of this.edges.splice(0)) await e.stop().catch((err: unknown) => this.o.logger.warn({ err }, 'pixel edge node stop failed'))
    await this.observer?.stop()
    this.observer = undefined
    for (const r of this.runs.values()) await r.encoder.stop()
    await this.server?.stop()
    this.server = undefined
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true })
    this.dir = undefined
  }

  private renderAll(): void {
    const t = this.o.clock()
    for (const r of this.runs.values()) r.encoder.write(r.renderer.render(this.people, t < r.coveredUntil))
  }

  /**
   * What the edge published for the pixel cameras, read off the bus as the console would: the run's
   * figures (sightings, who was named) come from the real messages, not from inside the edge.
   */
  private async watch(): Promise<void> {
    const { venue } = this.o
    const principal = venue.principals.find((p) => p.role === 'console') ?? venue.principals.find((p) => p.role === 'monitor')
    if (principal === undefined) return
    const bus = new Bus({ url: this.o.url, ...this.o.login(principal.name), clientId: `sim-pixels-watch-${venue.site.id}-${process.pid}`, reconnectPeriod_ms: 1000 })
    this.observer = bus
    for (const [camera, r] of this.runs) {
      await bus.subscribe('cameraSightings', { site: venue.site.id, camera }, (m) => {
        r.stats.sightings++
        r.lastNamed = m.tracks.filter((t) => t.subject !== 'unknown').length
        const at = Date.parse(m.capturedAt)
        for (const t of m.tracks) {
          r.stats.subjects[t.subject] = (r.stats.subjects[t.subject] ?? 0) + 1
          // as the monitor places a sighting: its floor point, or the face box's centre through the calibration
          const floor = t.floor ?? boxToFloor(r.camera, t.box)
          if (t.subject !== 'unknown' && floor !== null) this.truth.judge(camera, at, floor, t.subject)
        }
      })
    }
    await bus.start()
  }
}
