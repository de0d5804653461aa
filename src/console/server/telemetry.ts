import type { Venue } from '../../config/schema/venue.js'
import type { LiveState } from './live-state.js'

/** One point of the console's charts. */
export interface TelemetrySample {
  /** ISO 8601. */
  at: string
  occupancy: { total: number; byKind: Record<string, number> }
  /** Frames analysed per second, per camera, as the cameras' status reports it. */
  cameraFps: Record<string, number>
  /** Open and acknowledged alerts by severity. */
  openAlerts: Record<string, number>
}

export const SAMPLE_EVERY_MS = 10_000
/** A day of 10-second samples: the longest span the charts ask for. */
const KEEP = (24 * 3_600_000) / SAMPLE_EVERY_MS

/** Samples the live state every 10 s into a day-long ring, for the page's charts (no history across restarts). */
export class TelemetrySampler {
  private readonly samples: TelemetrySample[] = []
  private timer: NodeJS.Timeout | undefined
  private readonly kindOf: Map<string, string>

  constructor(
    private readonly state: LiveState,
    venue: Venue,
    private readonly clock: () => number,
    private readonly onSample: (s: TelemetrySample) => void,
  ) {
    this.kindOf = new Map(venue.floor.zones.map((z) => [z.id, z.kind]))
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** Take one sample now (also what the timer does). */
  sample(): TelemetrySample {
    const tracks = this.state.tracks?.tracks ?? []
    const byKind: Record<string, number> = {}
    for (const t of tracks) {
      const kind = t.zone === null ? 'unknown' : (this.kindOf.get(t.zone) ?? 'unknown')
      byKind[kind] = (byKind[kind] ?? 0) + 1
    }
    const cameraFps: Record<string, number> = {}
    for (const c of this.state.cameras.values()) cameraFps[c.camera] = c.state === 'offline' ? 0 : c.fps
    const openAlerts: Record<string, number> = {}
    for (const a of this.state.alerts.values()) openAlerts[a.severity] = (openAlerts[a.severity] ?? 0) + 1
    const s: TelemetrySample = { at: new Date(this.clock()).toISOString(), occupancy: { total: tracks.length, byKind }, cameraFps, openAlerts }
    this.samples.push(s)
    if (this.samples.length > KEEP) this.samples.splice(0, this.samples.length - KEEP)
    this.onSample(s)
    return s
  }

  since(ms: number): TelemetrySample[] {
    return this.samples.filter((s) => Date.parse(s.at) >= ms)
  }
}
