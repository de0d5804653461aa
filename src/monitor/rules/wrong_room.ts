/** wrong_room: an expert in an evaluation room that is not one of their project's rooms for >= grace_s. */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { DwellTimers } from './timers.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf } from './types.js'

export function createWrongRoom(config: RuleOf<'wrong_room'>, ctx: RuleContext): RuleInstance {
  const timers = new DwellTimers<PersonTrack>(config.grace_s * 1000)
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const present = new Map<string, PersonTrack>()
      for (const t of tracks) {
        if (t.category !== 'expert' || t.zone === null || t.subject === 'unknown') continue
        if (ctx.zoneKind(t.zone) !== 'evaluation_room') continue
        const project = ctx.projectOf(t.subject) ?? t.project
        if (ctx.roomsOf(project).includes(t.zone)) continue
        present.set(`${t.subject}\u0000${t.zone}`, t)
      }
      return timers.update(present, now).map((t) => {
        const project = ctx.projectOf(t.subject) ?? t.project
        return makeFinding(config, {
          title: `Expert of project ${project ?? '(none)'} in room ${t.zone} of another project`,
          subjects: [t.subject],
          zone: t.zone,
          floor: t.floor,
          cameras: t.cameras,
          at: now,
        })
      })
    },
  }
}
