/**
 * outside_session_window: a recognised expert seen in the venue before their session's arrival window
 * (now < arrival_ms) or after it has ended (now > end_ms + margin_s). One finding per expert per
 * continuous presence (their track in the venue's track list), marked 'early' or 'late'.
 */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { DwellTimers } from './timers.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf, type SessionDay } from './types.js'

const DAY_MS = 24 * 3_600_000

export function createOutsideSessionWindow(config: RuleOf<'outside_session_window'>, ctx: RuleContext): RuleInstance {
  const margin_ms = config.margin_s * 1000
  // Threshold 0: fires on the first sighting; the key clears when the expert's track is gone.
  const timers = new DwellTimers<{ t: PersonTrack; side: 'early' | 'late' }>(0)
  const within = (s: SessionDay | null, now: number): boolean => s !== null && now >= s.arrival_ms && now <= s.end_ms + margin_ms
  const sideOf = (t: PersonTrack, now: number): 'early' | 'late' | undefined => {
    const project = ctx.projectOf(t.subject) ?? t.project
    if (project === null) return undefined
    const today = ctx.sessionAt(project, now)
    // With a "today" roster an overnight session that began yesterday is still on after midnight.
    const prev = ctx.sessionAt(project, now - DAY_MS)
    if (today === null || within(today, now) || within(prev, now)) return undefined
    if (now > today.end_ms) return 'late'
    // Before today's arrival window: late for yesterday's session when nearer its end (overnight sessions).
    if (prev !== null && prev.end_ms !== today.end_ms && now > prev.end_ms && now - prev.end_ms < today.arrival_ms - now) return 'late'
    return 'early'
  }
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const present = new Map<string, { t: PersonTrack; side: 'early' | 'late' }>()
      const seen = new Set<string>()
      for (const t of tracks) {
        // Staff and unknowns are not this rule; one track per expert is enough.
        if (t.category !== 'expert' || t.subject === 'unknown' || seen.has(t.subject)) continue
        seen.add(t.subject)
        const side = sideOf(t, now)
        if (side !== undefined) present.set(`${t.subject}\u0000${side}`, { t, side })
      }
      return timers.update(present, now).map(({ t, side }) =>
        makeFinding(config, {
          title: `Expert of project ${ctx.projectOf(t.subject) ?? t.project} in the venue ${side === 'early' ? 'before the arrival window' : 'after the session ended'}`,
          subjects: [t.subject],
          zone: t.zone,
          floor: t.floor,
          cameras: t.cameras,
          at: now,
          dedupExtra: side,
        }),
      )
    },
  }
}
