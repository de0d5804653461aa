/** unknown_in_restricted: an unknown person in a selected zone (default kinds: restricted, evaluation_room) for >= dwell_s. */
import type { ZoneKind } from '../../config/schema/common.js'
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { DwellTimers } from './timers.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

export const DEFAULT_RESTRICTED_KINDS: readonly ZoneKind[] = ['restricted', 'evaluation_room']

export function createUnknownInRestricted(config: RuleOf<'unknown_in_restricted'>, ctx: RuleContext): RuleInstance {
  const zones = new Set(config.zones ?? ctx.zonesOfKinds(config.zoneKinds ?? DEFAULT_RESTRICTED_KINDS))
  const timers = new DwellTimers<PersonTrack>(config.dwell_s * 1000)
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const present = new Map<string, PersonTrack>()
      for (const t of tracks) {
        if (t.category !== 'unknown' || t.zone === null || !zones.has(t.zone)) continue
        present.set(`${t.id}\u0000${t.zone}`, t)
      }
      return timers.update(present, now).map((t) =>
        makeFinding(config, {
          title: `Unknown person in ${t.zone} for ${config.dwell_s} s`,
          subjects: ['unknown'],
          zone: t.zone,
          floor: t.floor,
          cameras: t.cameras,
          at: now,
        }),
      )
    },
  }
}
