/**
 * expert_with_unauthorised: a recognised expert within distance_m of someone who may not be with them
 * (an unknown person, a recognised person not on the roster, or staff outside the zones they may enter)
 * for >= duration_s. Expert with expert is cross_project_contact's business, not this rule's.
 */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { NeighbourGrid } from './grid.js'
import { DwellTimers } from './timers.js'
import { makeFinding, type FloorXY, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

interface Pair {
  key: string
  expert: PersonTrack
  other: PersonTrack
  zone: string | null
  mid: FloorXY
}

export function createExpertWithUnauthorised(config: RuleOf<'expert_with_unauthorised'>, ctx: RuleContext): RuleInstance {
  const d = config.distance_m
  const timers = new DwellTimers<Pair>(config.duration_s * 1000)
  const isExpert = (t: PersonTrack): boolean => t.category === 'expert' && t.subject !== 'unknown'
  // Could this track be unauthorised next to an expert? Staff depend on the zone, checked per pair.
  const isCandidate = (t: PersonTrack): boolean =>
    t.subject === 'unknown' || t.category === 'unknown' || t.category === 'other' || ctx.isStaff(t.subject)
  const unauthorisedIn = (t: PersonTrack, zone: string | null): boolean => {
    if (t.subject === 'unknown' || t.category === 'unknown' || t.category === 'other') return true
    // Staff in an unknown place (zone null) give no evidence of being out of bounds.
    return zone !== null && !ctx.staffZones(t.subject).includes(zone)
  }
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const grid = new NeighbourGrid(d, tracks.filter((t) => !isExpert(t) && isCandidate(t)))
      const present = new Map<string, Pair>()
      for (const e of tracks) {
        if (!isExpert(e)) continue
        for (const o of grid.near(e)) {
          if (o.subject === e.subject) continue
          const mid: FloorXY = [(e.floor[0] + o.floor[0]) / 2, (e.floor[1] + o.floor[1]) / 2]
          const zone = e.zone ?? ctx.zoneAt(mid)
          if (!unauthorisedIn(o, zone)) continue
          const key = `${e.subject}\u0000${o.id}`
          present.set(key, { key, expert: e, other: o, zone, mid })
        }
      }
      return timers.update(present, now).map((p) =>
        makeFinding(config, {
          title: `Expert of project ${ctx.projectOf(p.expert.subject) ?? p.expert.project ?? '(none)'} with ${describe(p.other)} within ${d} m for ${config.duration_s} s`,
          subjects: [p.expert.subject, p.other.category === 'unknown' ? 'unknown' : p.other.subject],
          zone: p.zone,
          floor: p.mid,
          cameras: [...p.expert.cameras, ...p.other.cameras],
          at: now,
          since: timers.startOf(p.key) ?? now,
        }),
      )
    },
  }
}

function describe(t: PersonTrack): string {
  if (t.subject === 'unknown' || t.category === 'unknown') return 'an unknown person'
  return t.category === 'other' ? 'a person not on the roster' : 'staff outside their zones'
}
