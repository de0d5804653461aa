/** wrong_room: an expert in an evaluation room that is not one of their project's rooms for >= grace_s. */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { trackDwellRule, trackFinding } from './timers.js'
import type { RuleContext, RuleInstance, RuleOf } from './types.js'

export function createWrongRoom(config: RuleOf<'wrong_room'>, ctx: RuleContext): RuleInstance {
  const projectOf = (t: PersonTrack) => ctx.projectOf(t.subject) ?? t.project
  return trackDwellRule(
    config,
    config.grace_s,
    (t) => {
      if (t.category !== 'expert' || t.zone === null || t.subject === 'unknown') return undefined
      if (ctx.zoneKind(t.zone) !== 'evaluation_room' || ctx.roomsOf(projectOf(t)).includes(t.zone)) return undefined
      return `${t.subject}\u0000${t.zone}`
    },
    (t, now, since) => trackFinding(config, t, `Expert of project ${projectOf(t) ?? '(none)'} in room ${t.zone} of another project`, now, since),
  )
}
