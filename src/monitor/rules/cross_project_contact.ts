/** cross_project_contact: two experts of different projects within distance_m of each other for >= duration_s. */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { DwellTimers } from './timers.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

type Pair = [PersonTrack, PersonTrack]

export function createCrossProjectContact(config: RuleOf<'cross_project_contact'>, ctx: RuleContext): RuleInstance {
  const timers = new DwellTimers<Pair>(config.duration_s * 1000)
  const projectOf = (t: PersonTrack): string | null => (t.subject === 'unknown' ? null : (ctx.projectOf(t.subject) ?? t.project))
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const experts = tracks
        .filter((t) => t.category === 'expert' && t.subject !== 'unknown' && projectOf(t) !== null)
        .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
      const present = new Map<string, Pair>()
      for (let i = 0; i < experts.length; i++) {
        const a = experts[i]!
        for (let j = i + 1; j < experts.length; j++) {
          const b = experts[j]!
          if (a.subject === b.subject || projectOf(a) === projectOf(b)) continue
          if (Math.hypot(a.floor[0] - b.floor[0], a.floor[1] - b.floor[1]) > config.distance_m) continue
          present.set(`${a.subject}\u0000${b.subject}`, [a, b])
        }
      }
      return timers.update(present, now).map(([a, b]) => {
        const mid: [number, number] = [(a.floor[0] + b.floor[0]) / 2, (a.floor[1] + b.floor[1]) / 2]
        const zone = a.zone !== null && a.zone === b.zone ? a.zone : ctx.zoneAt(mid)
        return makeFinding(config, {
          title: `Experts of projects ${projectOf(a)} and ${projectOf(b)} within ${config.distance_m} m for ${config.duration_s} s`,
          subjects: [a.subject, b.subject],
          zone,
          floor: mid,
          cameras: [...a.cameras, ...b.cameras],
          at: now,
        })
      })
    },
  }
}
