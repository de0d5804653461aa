/**
 * tailgating: someone through the check-in gate without a verified check-in. The gate door's
 * between[0] is the outside, between[1] the inside; a crossing is a track whose last known zone goes
 * from outside to inside. Each unverified crossing raises a finding at once that lists everyone who
 * crossed within window_s, since the verified person ahead is the one who held the gate open.
 */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

interface Crossing {
  at: number
  subject: string
  verified: boolean
  cameras: string[]
}

export function createTailgating(config: RuleOf<'tailgating'>, ctx: RuleContext): RuleInstance {
  const door = ctx.door(config.gate)
  // The config cross-check rejects an unknown gate; a rule without its door just watches nothing.
  if (door === null) return { id: config.id, kind: config.kind, enabled: true }
  const [outside, inside] = door.between
  const window_ms = config.window_s * 1000
  const lastZone = new Map<string, string>()
  let recent: Crossing[] = []
  // Only someone on the roster counts as checked in: a recognised face alone is not an entitlement.
  const verified = (t: PersonTrack): boolean =>
    t.subject !== 'unknown' && (ctx.projectOf(t.subject) !== null || ctx.isStaff(t.subject))
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const crossed: Crossing[] = []
      const seen = new Set<string>()
      for (const t of tracks) {
        seen.add(t.id)
        if (t.zone === null) continue // keep the last known zone across a gap in the floor position
        if (lastZone.get(t.id) === outside && t.zone === inside) {
          crossed.push({ at: now, subject: t.subject, verified: verified(t), cameras: t.cameras })
        }
        lastZone.set(t.id, t.zone)
      }
      for (const id of [...lastZone.keys()]) if (!seen.has(id)) lastZone.delete(id)
      // All of this update's crossings go in first: people through together are listed together.
      recent = [...recent.filter((c) => now - c.at <= window_ms), ...crossed]
      const checkedIn = recent.filter((r) => r.verified).length
      const out: Finding[] = []
      for (const c of crossed) {
        if (c.verified) continue
        out.push(
          makeFinding(config, {
            title: `${recent.length} ${recent.length === 1 ? 'person' : 'people'} through gate ${door.id} with ${checkedIn} verified check-in${checkedIn === 1 ? '' : 's'}`,
            subjects: [...new Set(recent.map((r) => r.subject))],
            zone: inside,
            floor: [door.at[0], door.at[1]],
            cameras: recent.flatMap((r) => r.cameras),
            at: now,
          }),
        )
      }
      return out
    },
  }
}
