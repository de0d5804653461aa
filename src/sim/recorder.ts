/**
 * What a scenario run saw, as any console client would: the alerts, the monitor's venue-level tracks
 * (thinned to one point per track every few sim seconds, for the report's picture) and the missions'
 * last states. It listens on the contract topics only; nothing is read from inside the roles.
 */
import type { Bus } from '../contract/bus.js'
import type { Alert } from '../contract/venue/alerts.js'
import type { MissionState } from '../contract/venue/missions.js'
import type { PersonTrack } from '../contract/venue/tracks.js'

export interface TrackLine {
  id: string
  subject: string
  category: PersonTrack['category']
  project: string | null
  points: Array<[number, number]>
}

/** Where the monitor placed a subject from this time on (one entry per change of zone). */
export interface ZoneChange {
  at: string
  zone: string | null
  track: string
  cameras: string[]
}

/** Zone changes kept per subject (the latest). */
const MAX_CHANGES = 400

/** One point per track at most this often (sim ms): enough for a picture, bounded for a 10-hour day. */
const SAMPLE_MS = 2000
/** Points kept per track; a track longer than this keeps its first points (a picture, not a record). */
const MAX_POINTS = 20_000

export class RunRecorder {
  readonly alerts = new Map<string, Alert>()
  readonly missions = new Map<string, MissionState>()
  readonly tracks = new Map<string, TrackLine & { lastAt: number }>()
  /** Each named subject's changes of zone, as the monitor's tracks gave them: why an alert fired. */
  readonly zones = new Map<string, ZoneChange[]>()
  /** Tracks messages seen. */
  trackMessages = 0

  constructor(private readonly site: string) {}

  /** Add the subscriptions to a bus (before or after its start). */
  async attach(bus: Bus): Promise<void> {
    await bus.subscribe('alert', { site: this.site }, (a) => void this.alerts.set(a.id, a))
    await bus.subscribe('missionState', { site: this.site }, (m) => void this.missions.set(m.missionId, m))
    await bus.subscribe('tracks', { site: this.site }, (msg) => {
      this.trackMessages++
      const at = Date.parse(msg.timestamp)
      for (const t of msg.tracks) this.point(t, at)
    })
  }

  /** The zone changes of `subject` from `from_ms` to `to_ms` (sim time), and the one in force at `from_ms`. */
  zoneHistory(subject: string, from_ms: number, to_ms: number): ZoneChange[] {
    const all = this.zones.get(subject) ?? []
    const before = all.filter((c) => Date.parse(c.at) < from_ms).at(-1)
    return [...(before === undefined ? [] : [before]), ...all.filter((c) => Date.parse(c.at) >= from_ms && Date.parse(c.at) <= to_ms)]
  }

  private point(t: PersonTrack, at: number): void {
    if (t.subject !== 'unknown') {
      let changes = this.zones.get(t.subject)
      if (changes === undefined) this.zones.set(t.subject, (changes = []))
      const last = changes.at(-1)
      if (last === undefined || last.zone !== t.zone || last.track !== t.id) {
        changes.push({ at: new Date(at).toISOString(), zone: t.zone, track: t.id, cameras: [...t.cameras] })
        if (changes.length > MAX_CHANGES) changes.shift()
      }
    }
    let line = this.tracks.get(t.id)
    if (line === undefined) {
      line = { id: t.id, subject: t.subject, category: t.category, project: t.project, points: [], lastAt: -Infinity }
      this.tracks.set(t.id, line)
    }
    if (at - line.lastAt < SAMPLE_MS || line.points.length >= MAX_POINTS) return
    line.lastAt = at
    line.points.push([t.floor[0], t.floor[1]])
  }

  lines(): TrackLine[] {
    return [...this.tracks.values()].map(({ lastAt: _l, ...line }) => line)
  }
}
