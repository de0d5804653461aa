/**
 * cross_project_contact: two experts of different projects within distance_m of each other for
 * >= duration_s, or both inside the same zone no camera sees (gone in through its door, not seen
 * since) for as long.
 */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { NeighbourGrid } from './grid.js'
import { DwellTimers } from './timers.js'
import { UnseenZones } from './unseen.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

interface Pair {
  a: PersonTrack
  b: PersonTrack
  /** Both inside this unseen zone, behind the door at `door`. */
  unseen?: { zone: string; door: [number, number]; since: number }
}

export function createCrossProjectContact(config: RuleOf<'cross_project_contact'>, ctx: RuleContext): RuleInstance {
  const timers = new DwellTimers<Pair>(config.duration_s * 1000)
  const unseen = new UnseenZones(ctx)
  const projectOf = (t: PersonTrack): string | null => (t.subject === 'unknown' ? null : (ctx.projectOf(t.subject) ?? t.project))
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const experts: PersonTrack[] = []
      const projects = new Map<PersonTrack, string>()
      for (const t of tracks) {
        const p = t.category === 'expert' ? projectOf(t) : null
        if (p === null) continue
        experts.push(t)
        projects.set(t, p)
      }
      const grid = new NeighbourGrid(config.distance_m, experts)
      const present = new Map<string, Pair>()
      for (const a of experts) {
        for (const b of grid.near(a)) {
          // each pair once, in subject order
          if (!(a.subject < b.subject) || projects.get(a) === projects.get(b)) continue
          present.set(`${a.subject}\u0000${b.subject}`, { a, b })
        }
      }
      const inside = [...unseen.update(tracks, now).values()].filter((i) => i.track.category === 'expert' && projectOf(i.track) !== null)
      for (const x of inside) {
        for (const y of inside) {
          if (!(x.track.subject < y.track.subject) || x.zone !== y.zone || projectOf(x.track) === projectOf(y.track)) continue
          present.set(`${x.track.subject}\u0000${y.track.subject}`, { a: x.track, b: y.track, unseen: { zone: x.zone, door: x.door, since: Math.max(x.since, y.since) } })
        }
      }
      return timers.update(present, now, (_k, p) => p.unseen?.since ?? now).map(({ a, b, unseen: u }) => {
        if (u !== undefined) {
          return makeFinding(config, {
            title: `Experts of projects ${projectOf(a)} and ${projectOf(b)} together in ${u.zone}, which no camera sees, for ${config.duration_s} s`,
            subjects: [a.subject, b.subject],
            zone: u.zone,
            floor: u.door,
            cameras: [...a.cameras, ...b.cameras],
            at: now,
            since: u.since,
          })
        }
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
