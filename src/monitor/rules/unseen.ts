/**
 * Where people went out of every camera's sight: into a zone no camera sees (a restroom), through one
 * of its doors. A recognised person whose track ends within DOOR_RADIUS_M of such a door counts as in
 * that zone from then until a camera sees them again.
 */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import type { FloorXY, RuleContext } from './types.js'

/** How near a door of an unseen zone a track must end to count as gone in, m. */
const DOOR_RADIUS_M = 2.5
/** Forget someone not seen again after this long, ms. */
const FORGET_MS = 30 * 60_000

export interface Inside {
  track: PersonTrack
  zone: string
  door: FloorXY
  since: number
}

export class UnseenZones {
  private readonly last = new Map<string, { track: PersonTrack; at: number }>()
  private readonly inside = new Map<string, Inside>()

  constructor(private readonly ctx: RuleContext) {}

  /** Update with the tracks cameras see now; returns who is inside an unseen zone, by subject. */
  update(seen: readonly PersonTrack[], now: number): ReadonlyMap<string, Inside> {
    const doors = this.ctx.unseenDoors()
    if (doors.length === 0) return this.inside
    const here = new Set<string>()
    for (const t of seen) {
      if (t.subject === 'unknown') continue
      here.add(t.subject)
      this.last.set(t.subject, { track: t, at: now })
      this.inside.delete(t.subject)
    }
    for (const [subject, l] of this.last) {
      if (here.has(subject)) continue
      this.last.delete(subject)
      let best: { zone: string; at: FloorXY; d: number } | undefined
      for (const d of doors) {
        const dist = Math.hypot(d.at[0] - l.track.floor[0], d.at[1] - l.track.floor[1])
        if (dist <= DOOR_RADIUS_M && (best === undefined || dist < best.d)) best = { ...d, d: dist }
      }
      if (best !== undefined) this.inside.set(subject, { track: l.track, zone: best.zone, door: best.at, since: l.at })
    }
    for (const [subject, i] of this.inside) if (now - i.since > FORGET_MS) this.inside.delete(subject)
    return this.inside
  }
}
