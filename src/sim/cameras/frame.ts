/**
 * The pure part of a synthetic camera: one frame's Sightings from the people of the world at a sim
 * time. No I/O; each camera keeps its own state (frame counter, track ids, random stream) so that the
 * frames of one camera do not depend on which other cameras were rendered in between.
 */
import type { Camera } from '../../config/index.js'
import type { ZoneIndex } from '../../config/zones.js'
import { stamp, type SightingTrack, type Sightings } from '../../contract/index.js'
import { gaussian, mulberry32, type Rng } from '../../shared/random.js'
import type { SimPerson } from '../world/types.js'
import { hash32, round, score01, uniform, type NoiseOptions } from './noise.js'
import { faceBox, inView } from './view.js'

/** A track whose person has not been reported for longer than this ends; seen again, they get a new id. */
export const TRACK_GAP_MS = 2000

export interface FrameContext {
  zones: ZoneIndex
  /** Every enrolled subject of the roster (experts and staff), for misidentifications. */
  roster: readonly string[]
  noise: NoiseOptions
}

interface Track {
  trackId: string
  lastSeen: number
}

export class CameraEye {
  readonly rng: Rng
  private frameId = 0
  private nextTrack = 1
  private readonly tracks = new Map<string, Track>()

  constructor(
    readonly camera: Camera,
    readonly fps: number,
    seed: number,
  ) {
    this.rng = mulberry32((seed ^ hash32(camera.id)) >>> 0)
  }

  /** Frames rendered so far. */
  get frames(): number {
    return this.frameId
  }

  render(ctx: FrameContext, people: readonly SimPerson[], t_ms: number): Sightings {
    const { camera, rng } = this
    const noise = ctx.noise
    const tracks: SightingTrack[] = []
    for (const p of people) {
      if (!inView(camera, p, ctx.zones)) continue
      // every draw below happens in the same order for every face, so a seed replays exactly
      if (rng() < noise.missRate) continue
      const floor: [number, number] = [round(p.floor[0] + noise.jitter_m * gaussian(rng), 3), round(p.floor[1] + noise.jitter_m * gaussian(rng), 3)]
      const { subject, score } = identify(rng, p.subject, ctx.roster, noise)
      const liveness = round(score01(rng, p.spoof ? noise.spoofLiveness : noise.liveLiveness), 3)
      const quality = round(score01(rng, noise.quality), 3)
      tracks.push({ trackId: this.trackOf(p.id, t_ms), box: faceBox(camera, floor), floor, subject, score: round(score, 3), liveness, quality })
    }
    this.expire(t_ms)
    const at = new Date(t_ms)
    return {
      ...stamp(at),
      camera: camera.id,
      frameId: this.frameId++,
      capturedAt: at.toISOString(),
      width_px: camera.width_px,
      height_px: camera.height_px,
      tracks,
    }
  }

  private trackOf(person: string, t_ms: number): string {
    let tr = this.tracks.get(person)
    if (tr === undefined || t_ms - tr.lastSeen > TRACK_GAP_MS) {
      tr = { trackId: `trk-${this.nextTrack++}`, lastSeen: t_ms }
      this.tracks.set(person, tr)
    }
    tr.lastSeen = t_ms
    return tr.trackId
  }

  private expire(t_ms: number): void {
    for (const [person, tr] of this.tracks) if (t_ms - tr.lastSeen > TRACK_GAP_MS) this.tracks.delete(person)
  }
}

/** Who the edge would say this face is, and with what similarity. */
export function identify(rng: Rng, truth: string | null, roster: readonly string[], noise: NoiseOptions): { subject: string; score: number } {
  const r = rng()
  const s = rng()
  if (truth === null) return { subject: 'unknown', score: uniform(() => s, noise.unknownScore) }
  if (r < noise.misidRate) {
    const others = roster.filter((x) => x !== truth)
    const other = others[Math.floor(rng() * others.length)]
    if (other !== undefined) return { subject: other, score: uniform(() => s, noise.misidScore) }
    return { subject: 'unknown', score: uniform(() => s, noise.unknownScore) }
  }
  if (r < noise.misidRate + noise.unknownRate) return { subject: 'unknown', score: uniform(() => s, noise.unknownScore) }
  return { subject: truth, score: uniform(() => s, noise.matchScore) }
}
