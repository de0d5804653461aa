/**
 * crowding: more people in a zone than its limit (maxPeople, else the zone's declared capacity).
 * One finding per zone per continuous run; the run ends only after the count has stayed at or under
 * the limit for END_AFTER_MS, so a count that hovers on the limit does not raise a finding per wobble.
 */
import { ZoneKind } from '../../config/schema/common.js'
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { makeFinding, type FloorXY, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

/** How long the count must stay at or under the limit before a new run may raise a new finding. */
export const CROWDING_END_AFTER_MS = 5000

interface Run {
  /** A finding was raised for the current run. */
  active: boolean
  /** When the count last dropped to the limit or under while a run was active; null while over. */
  underSince: number | null
}

export function createCrowding(config: RuleOf<'crowding'>, ctx: RuleContext): RuleInstance {
  // Without maxPeople only zones with a declared capacity have a limit to watch.
  const selected = ctx.selectZones(config, ZoneKind.options)
  const limits = new Map<string, number>()
  for (const zone of selected) {
    const limit = config.maxPeople ?? ctx.capacityOf(zone)
    if (limit !== null) limits.set(zone, limit)
  }
  const runs = new Map<string, Run>()
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const byZone = new Map<string, PersonTrack[]>()
      for (const t of tracks) {
        if (t.zone === null || !limits.has(t.zone)) continue
        const list = byZone.get(t.zone)
        if (list) list.push(t)
        else byZone.set(t.zone, [t])
      }
      const out: Finding[] = []
      for (const [zone, limit] of limits) {
        const present = byZone.get(zone) ?? []
        let run = runs.get(zone)
        if (present.length <= limit) {
          if (run?.active && run.underSince === null) run.underSince = now
          continue
        }
        // Over the limit: the previous run is over only if the count stayed down long enough meanwhile.
        if (run?.active && run.underSince !== null && now - run.underSince >= CROWDING_END_AFTER_MS) run.active = false
        if (run) run.underSince = null
        else runs.set(zone, (run = { active: false, underSince: null }))
        if (run.active) continue
        run.active = true
        const floor: FloorXY = [
          present.reduce((s, t) => s + t.floor[0], 0) / present.length,
          present.reduce((s, t) => s + t.floor[1], 0) / present.length,
        ]
        out.push(
          makeFinding(config, {
            title: `${present.length} people in ${zone} (limit ${limit})`,
            subjects: [], // a head count: who is there does not matter and is not listed
            zone,
            floor,
            cameras: present.flatMap((t) => t.cameras),
            at: now,
          }),
        )
      }
      return out
    },
  }
}
