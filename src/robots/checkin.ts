/**
 * The check-in desk the guard robot runs: faces seen by the cameras that look at the check-in zone,
 * verified against the day's roster with liveness.
 *
 * A face passes when it is a roster expert, live (liveness >= vision.liveness_min) and named with the
 * gallery's confidence (score >= vision.match.threshold) on CONFIRM_FRAMES frames of one camera track;
 * it is refused when, on as many frames, it is live but unknown or not on today's roster, or not live
 * (a photo or a screen held up). Each camera track gives one verdict. An expert checks in once.
 */
import type { Venue } from '../config/schema/venue.js'
import type { Sightings } from '../contract/venue/sightings.js'
import { ZoneIndex } from '../config/zones.js'

/** Frames of one camera track that must agree before a verdict. */
export const CONFIRM_FRAMES = 3
/** A camera track not seen this long is forgotten, ms. */
const FORGET_MS = 30_000

export type Verdict = { kind: 'admit'; subject: string; project: string; room: string; camera: string } | { kind: 'refuse'; reason: string; camera: string; subject: string }

interface TrackTally {
  pass: number
  live_unknown: number
  spoof: number
  subject: string
  decided: boolean
  seen: number
}

export class CheckinDesk {
  readonly cameras: ReadonlySet<string>
  private readonly tallies = new Map<string, TrackTally>()
  private readonly admitted = new Set<string>()
  private readonly experts = new Map<string, { project: string; room: string }>()

  private readonly zones: ZoneIndex
  private readonly checkin: Set<string>
  /** Staff pass the desk on their rounds: they are not checking in. */
  private readonly staff: Set<string>

  constructor(private readonly venue: Pick<Venue, 'floor' | 'cameras' | 'roster' | 'vision'>) {
    const checkin = (this.checkin = new Set(venue.floor.zones.filter((z) => z.kind === 'checkin').map((z) => z.id)))
    this.zones = new ZoneIndex(venue)
    this.cameras = new Set(venue.cameras.filter((c) => c.zones.some((z) => checkin.has(z))).map((c) => c.id))
    for (const p of venue.roster.projects) for (const e of p.experts) if (p.rooms[0] !== undefined) this.experts.set(e, { project: p.id, room: p.rooms[0] })
    this.staff = new Set(venue.roster.staff.map((s) => s.subject))
  }

  /** Verdicts reached with this frame (usually none). */
  see(m: Sightings, now: number): Verdict[] {
    if (!this.cameras.has(m.camera)) return []
    const out: Verdict[] = []
    const liveMin = this.venue.vision.liveness_min
    const threshold = this.venue.vision.match.threshold
    for (const t of m.tracks) {
      // a camera that also sees the lobby: only faces standing in the check-in zone are at the desk
      const zone = t.floor === null ? null : this.zones.zoneAt(t.floor)
      if (zone !== null && !this.checkin.has(zone)) continue
      if (this.staff.has(t.subject)) continue
      const key = `${m.camera}\u0000${t.trackId}`
      let tally = this.tallies.get(key)
      if (tally === undefined) this.tallies.set(key, (tally = { pass: 0, live_unknown: 0, spoof: 0, subject: t.subject, decided: false, seen: now }))
      tally.seen = now
      if (tally.decided || t.liveness === null) continue
      if (t.subject !== 'unknown') tally.subject = t.subject
      const expert = this.experts.get(t.subject)
      if (t.liveness < liveMin) tally.spoof++
      else if (expert !== undefined && t.score >= threshold) tally.pass++
      else tally.live_unknown++
      if (tally.pass >= CONFIRM_FRAMES && expert !== undefined) {
        tally.decided = true
        if (this.admitted.has(t.subject)) continue
        this.admitted.add(t.subject)
        out.push({ kind: 'admit', subject: t.subject, project: expert.project, room: expert.room, camera: m.camera })
      } else if (tally.spoof >= CONFIRM_FRAMES) {
        tally.decided = true
        out.push({ kind: 'refuse', reason: `face not live (liveness ${t.liveness.toFixed(2)} < ${liveMin})`, camera: m.camera, subject: tally.subject })
      } else if (tally.live_unknown >= CONFIRM_FRAMES) {
        tally.decided = true
        out.push({ kind: 'refuse', reason: t.subject === 'unknown' ? 'face not recognised' : 'not on today\'s roster', camera: m.camera, subject: tally.subject })
      }
    }
    for (const [key, tally] of this.tallies) if (now - tally.seen > FORGET_MS) this.tallies.delete(key)
    return out
  }
}
