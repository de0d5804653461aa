/**
 * The edge node role, wired in one place: every camera the venue file assigns to this node, a frame
 * source and health per camera, a scheduler over one face pipeline per analysis slot, the gallery, and
 * one MQTT connection whose messages go through the outbox (kept on disk while the broker is away).
 */
import { mkdir } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import type { Venue } from '../config/index.js'
import { Bus, stamp, willFor } from '../contract/index.js'
import type { Logger } from '../shared/log.js'
import { Gallery, loadGalleryKey } from '../vision/gallery/index.js'
import type { ModelRole, ModelSpec } from '../vision/models/index.js'
import { WorkerSlot } from './analysis/slot.js'
import { CameraWorker } from './camera.js'
import { Scheduler } from './scheduler.js'
import { jpegBudget, SnapshotCache } from './snapshots.js'
import type { FrameSource } from './types.js'
import type { HealthMonitor } from './health-port.js'
import { busLink, Outbox } from './outbox/index.js'

export interface EdgeNodeOptions {
  venue: Venue
  venueFile: string
  node: string
  url: string
  username: string
  password: string
  logger: Logger
  /** Analysis slots (face pipelines); default 2, one per core of the reference machine. */
  slots?: number
  /** Build the frame source of a camera (default: RTSP through ffmpeg). */
  sourceFor: (camera: Venue['cameras'][number]) => FrameSource
  healthFor: (camera: Venue['cameras'][number]) => HealthMonitor
  /** SQLite file of the outbox (the on-disk queue while the broker is away). */
  outboxFile: string
  outboxMaxRows?: number
  /** Folder of the models (default: the cache); gallery folder and key as the venue file says. */
  modelDir?: string
  galleryKeyFile?: string
  /** Serve only these of the node's cameras (default: all of them); the simulator's pixel mode serves some. */
  cameras?: readonly string[]
  /** Clock of capture times and messages, epoch ms (default: the wall clock); the simulator passes its sim clock. */
  clock?: () => number
  /** MQTT client id (default `edge-{site}-{node}`): another client of the same principal needs its own. */
  clientId?: string
}

export class EdgeNode {
  private bus: Bus | undefined
  private outbox: Outbox | undefined
  private slots: WorkerSlot[] = []
  private scheduler: Scheduler | undefined
  readonly cameras = new Map<string, CameraWorker>()
  private statusTimer: NodeJS.Timeout | undefined

  constructor(private readonly o: EdgeNodeOptions) {}

  async start(): Promise<void> {
    const { venue, node, logger } = this.o
    const site = venue.site.id
    const only = this.o.cameras
    const cameras = venue.cameras.filter((c) => c.edgeNode === node && (only === undefined || only.includes(c.id)))
    if (cameras.length === 0) throw new Error(`no camera of the venue file is served by edge node "${node}"${only === undefined ? '' : ` among ${only.join(', ')}`}`)
    const log = logger.child({ role: 'edge', node })

    const specs: Partial<Record<ModelRole, ModelSpec>> = {}
    for (const [role, o] of Object.entries(venue.vision.models) as Array<[ModelRole, (typeof venue.vision.models)[ModelRole]]>) {
      if (o === undefined) continue
      specs[role] = { role, file: isAbsolute(o.file) ? o.file : resolve(dirname(this.o.venueFile), o.file), sha256: o.sha256, input: o.input, outputs: o.outputs }
    }
    for (let i = 0; i < (this.o.slots ?? 2); i++) {
      const slot = new WorkerSlot({ ...(this.o.modelDir === undefined ? {} : { dir: this.o.modelDir }), specs })
      await slot.start()
      this.slots.push(slot)
    }
    const galleryCfg = venue.vision.gallery
    const galleryDir = isAbsolute(galleryCfg.dir) ? galleryCfg.dir : resolve(dirname(this.o.venueFile), galleryCfg.dir)
    const keyFile = this.o.galleryKeyFile ?? galleryCfg.keyFile
    const gallery = await Gallery.open(galleryDir, loadGalleryKey(keyFile === undefined ? {} : { file: keyFile }), {
      matchThreshold: venue.vision.match.threshold,
      margin: venue.vision.match.margin,
    })
    log.info({ cameras: cameras.map((c) => c.id), subjects: gallery.subjects().length, slots: this.slots.length }, 'edge node starting')

    this.bus = new Bus({
      url: this.o.url,
      username: this.o.username,
      password: this.o.password,
      clientId: this.o.clientId ?? `edge-${site}-${node}`,
      reconnectPeriod_ms: 1000,
      background: true,
      will: willFor('edgeStatus', { site, node }, { ...stamp(this.now()), node, state: 'offline', cameras: cameras.map((c) => c.id) }),
      onInvalid: (topic, error) => log.warn({ topic, error }, 'invalid message dropped'),
      onHandlerError: (topic, err) => log.error({ topic, err }, 'handler failed'),
    })
    await mkdir(dirname(this.o.outboxFile), { recursive: true })
    this.outbox = new Outbox({ file: this.o.outboxFile, ...(this.o.outboxMaxRows === undefined ? {} : { maxRows: this.o.outboxMaxRows }) })
    await this.bus.start()
    this.outbox.attach(busLink(this.bus))
    this.scheduler = new Scheduler(this.slots)
    const snapshots = new SnapshotCache(200, jpegBudget(venue.broker.maxPayload_bytes))
    for (const camera of cameras) {
      const worker = new CameraWorker({
        site,
        node,
        camera,
        source: this.o.sourceFor(camera),
        health: this.o.healthFor(camera),
        scheduler: this.scheduler,
        gallery,
        snapshots,
        publisher: this.outbox,
        logger: log.child({ camera: camera.id }),
        minQuality: venue.vision.quality.minQuality,
        minFace_px: venue.vision.quality.minFace_px,
        ...(this.o.clock === undefined ? {} : { clock: this.o.clock }),
      })
      this.cameras.set(camera.id, worker)
      // not awaited: while the broker is away the subscription waits in the client, resubscribed on connect
      this.bus
        .subscribe('snapshotRequest', { site, camera: camera.id }, (req) => worker.request(req.snapshot, req.requestId))
        .catch((err: Error) => log.warn({ camera: camera.id, err: err.message }, 'snapshot requests not subscribed'))
    }
    await this.publishStatus('online')
    for (const worker of this.cameras.values()) await worker.start()
    this.statusTimer = setInterval(() => void this.publishStatus('online'), 10_000)
  }

  private now(): Date {
    return new Date(this.o.clock?.() ?? Date.now())
  }

  /** The outbox's figures (queued, dropped, delivered), for status, tests and benchmarks. */
  outboxCounters() {
    return this.outbox?.counters()
  }

  async stop(): Promise<void> {
    if (this.statusTimer !== undefined) clearInterval(this.statusTimer)
    for (const w of this.cameras.values()) await w.stop()
    await this.scheduler?.stop()
    if (this.bus?.connected === true) await this.publishStatus('offline').catch(() => undefined)
    await this.outbox?.idle(5000).catch(() => undefined)
    this.outbox?.detach()
    await this.outbox?.close()
    await this.bus?.stop()
    for (const slot of this.slots.splice(0)) await slot.close()
  }

  private async publishStatus(state: 'online' | 'offline'): Promise<void> {
    if (this.outbox === undefined) return
    const { queued, dropped } = this.outbox.statusFigures()
    const site = this.o.venue.site.id
    await this.outbox.publish('edgeStatus', { site, node: this.o.node }, { ...stamp(this.now()), node: this.o.node, state, cameras: [...this.cameras.keys()], queued, dropped })
  }
}
