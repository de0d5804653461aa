/**
 * One camera on an edge node: its frames go to health and to the scheduler; on an analysis slot a frame
 * becomes faces, tracks, identities and one sightings message; health changes become camera status.
 * A camera that fails affects only itself: errors are counted and logged, the other cameras go on.
 */
import type { Camera as CameraConfig } from '../config/index.js'
import { stamp, type SightingTrack } from '../contract/index.js'
import type { AnalysisSlot } from './analysis/slot.js'
import type { Gallery } from '../vision/gallery/index.js'
import type { Logger } from '../shared/log.js'
import { CameraRecognition } from './recognition.js'
import type { Job, Scheduler } from './scheduler.js'
import type { SnapshotCache } from './snapshots.js'
import type { Publisher } from './publisher.js'
import type { Frame, FrameSource } from './types.js'
import type { HealthReport, HealthMonitor } from './health-port.js'

export interface CameraContext {
  site: string
  node: string
  camera: CameraConfig
  source: FrameSource
  health: HealthMonitor
  scheduler: Scheduler
  gallery: Gallery
  snapshots: SnapshotCache
  publisher: Publisher
  logger: Logger
  /** Faces below this quality are tracked but not recognised. */
  minQuality: number
  minFace_px: number
  /**
   * Clock of capture times, health and messages, epoch ms (default: the wall clock). Sources stamp
   * frames with the wall clock; each stamp is moved onto this clock as the frame arrives.
   */
  clock?: () => number
}

export interface CameraStats {
  frames: number
  analysed: number
  dropped: number
  errors: number
  /** Frame-to-sighting latency samples, ms (the most recent ones). */
  latencies: number[]
  stage_ms: { detect: number; track: number; recognise: number; publish: number }
  /** Copying frames out of the decoder's pipe, ms. */
  copy_ms: number
}

const MAX_SAMPLES = 2000
const STATUS_REFRESH_MS = 10_000

export class CameraWorker implements Job {
  readonly id: string
  private readonly recognition = new CameraRecognition()
  private readonly stats_: CameraStats = { frames: 0, analysed: 0, dropped: 0, errors: 0, latencies: [], stage_ms: { detect: 0, track: 0, recognise: 0, publish: 0 }, copy_ms: 0 }
  private readonly wanted: string[] = []
  private frameTimes: number[] = []
  private lastFrameAt: number | null = null
  private lastStatusAt = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly ctx: CameraContext) {
    this.id = ctx.camera.id
  }

  private now(): number {
    return this.ctx.clock?.() ?? Date.now()
  }

  /** A wall-clock time of the recent past on this camera's clock. */
  private onClock(wall_ms: number): number {
    return this.ctx.clock === undefined ? wall_ms : this.ctx.clock() - (Date.now() - wall_ms)
  }

  /** A frame's capture time on this camera's clock, never before the previous frame's (a paused clock). */
  private captureTime(wall_ms: number): number {
    return this.ctx.clock === undefined ? wall_ms : Math.max(this.onClock(wall_ms), this.lastFrameAt ?? -Infinity)
  }

  async start(): Promise<void> {
    const { source, health, scheduler } = this.ctx
    scheduler.add(this)
    source.onFrame((frame) => {
      this.stats_.frames++
      frame.capturedAt = this.captureTime(frame.capturedAt)
      this.lastFrameAt = frame.capturedAt
      this.frameTimes.push(frame.capturedAt)
      health.observeFrame(frame, this.now())
      scheduler.offer(this.id, frame)
    })
    source.onStatus((status) => health.observeSource({ ...status, since: this.onClock(status.since) }, this.now()))
    health.onChange((report) => void this.publishStatus(report))
    this.timer = setInterval(() => {
      health.tick(this.now())
      if (this.now() - this.lastStatusAt >= STATUS_REFRESH_MS) void this.publishStatus(health.current())
    }, 500)
    await this.publishStatus(health.current())
    await source.start()
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer)
    await this.ctx.source.stop()
  }

  /** A monitor or console wants the JPEG behind a sighting (or the next frame). */
  request(snapshot: string | undefined, requestId: string): void {
    const cached = snapshot === undefined ? undefined : this.ctx.snapshots.get(snapshot)
    if (cached !== undefined) void this.sendSnapshot(cached.id, requestId)
    else this.wanted.push(requestId)
  }

  stats(): CameraStats {
    const source = this.ctx.source.counters()
    return { ...this.stats_, dropped: this.ctx.scheduler.dropped(this.id) + source.dropped, copy_ms: source.copy_ms }
  }

  failed(err: unknown): void {
    this.stats_.errors++
    this.ctx.logger.warn({ camera: this.id, err: err instanceof Error ? err.message : String(err) }, 'frame analysis failed')
  }

  async analyse(frame: Frame, slot: AnalysisSlot): Promise<void> {
    try {
      await this.analyseFrame(frame, slot)
    } finally {
      slot.finish()
      frame.release()
    }
  }

  private async analyseFrame(frame: Frame, slot: AnalysisSlot): Promise<void> {
    const { gallery, publisher, site, camera } = this.ctx
    const t0 = performance.now()
    const detected = await slot.detect(frame, { minQuality: this.ctx.minQuality, minFaceSize: this.ctx.minFace_px })
    const t1 = performance.now()
    const planned = this.recognition.plan(frame.capturedAt, detected.faces)
    const t2 = performance.now()
    const due = planned.filter((p) => p.recognise)
    const { results } = await slot.recognise(due.map((p) => ({ box: p.face.box, landmarks5: p.face.landmarks5 })))
    due.forEach((p, i) => {
      const r = results[i]
      if (r !== undefined) this.recognition.observe(frame.capturedAt, p.track.id, gallery.decide(r.embedding), p.face.quality.score, r.liveness)
    })
    const t3 = performance.now()
    const tracks: SightingTrack[] = planned.map((p) => this.recognition.sighting(p))
    let snapshot: string | undefined
    // every new track is announced (no short-circuit): each gets its snapshot once
    const fresh = planned.filter((p) => this.recognition.announce(p)).length
    if (fresh > 0 || this.wanted.length > 0) {
      // the sightings go out whether or not the evidence could be encoded
      const snap = await this.ctx.snapshots.capture(camera.id, frame).catch((err: unknown) => {
        this.ctx.logger.warn({ camera: camera.id, err: (err as Error).message }, 'snapshot not kept')
        return undefined
      })
      snapshot = snap?.id
      if (snap !== undefined) for (const requestId of this.wanted.splice(0)) void this.sendSnapshot(snap.id, requestId)
    }
    await publisher.publish('cameraSightings', { site, camera: camera.id }, {
      ...stamp(new Date(this.now())),
      camera: camera.id,
      frameId: frame.seq,
      capturedAt: new Date(frame.capturedAt).toISOString(),
      width_px: frame.width,
      height_px: frame.height,
      tracks,
      ...(snapshot === undefined ? {} : { snapshot }),
    })
    const t4 = performance.now()
    const s = this.stats_
    s.analysed++
    s.stage_ms.detect += t1 - t0
    s.stage_ms.track += t2 - t1
    s.stage_ms.recognise += t3 - t2
    s.stage_ms.publish += t4 - t3
    s.latencies.push(this.now() - frame.capturedAt)
    if (s.latencies.length > MAX_SAMPLES) s.latencies.splice(0, s.latencies.length - MAX_SAMPLES)
  }

  private async publishStatus(report: HealthReport): Promise<void> {
    const { publisher, site, node, camera } = this.ctx
    const now = this.now()
    this.lastStatusAt = now
    this.frameTimes = this.frameTimes.filter((t) => now - t <= 10_000)
    try {
      await publisher.publish('cameraStatus', { site, camera: camera.id }, {
        ...stamp(new Date(now)),
        camera: camera.id,
        node,
        state: report.state,
        since: new Date(report.since).toISOString(),
        fps: Math.round((this.frameTimes.length / 10) * 10) / 10,
        lastFrameAt: this.lastFrameAt === null ? null : new Date(this.lastFrameAt).toISOString(),
        droppedFrames: this.stats().dropped,
        ...(report.detail === undefined ? {} : { detail: report.detail.slice(0, 500) }),
      })
    } catch (err) {
      this.ctx.logger.warn({ camera: camera.id, err: (err as Error).message }, 'camera status not published')
    }
  }

  private async sendSnapshot(id: string, requestId: string | null): Promise<void> {
    const snap = this.ctx.snapshots.get(id)
    if (snap === undefined) return
    const { publisher, site } = this.ctx
    // called without await: a failure is logged here, never left as an unhandled rejection
    await publisher
      .publish('snapshot', { site, camera: snap.camera }, {
        ...stamp(new Date(this.now())),
        requestId,
        snapshot: snap.id,
        camera: snap.camera,
        capturedAt: new Date(snap.capturedAt).toISOString(),
        width_px: snap.width,
        height_px: snap.height,
        jpeg: snap.jpeg.toString('base64'),
      })
      .catch((err: unknown) => this.ctx.logger.warn({ camera: snap.camera, snapshot: snap.id, requestId, err: (err as Error).message }, 'snapshot not published'))
  }
}
