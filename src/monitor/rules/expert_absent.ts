/**
 * expert_absent: an expert on the roster who has arrived in one of their rooms and whose last known
 * zone has not been one of their rooms for >= absence_s while the session is on ('absent'); with
 * earlyLeave, also an expert seen in an exit zone between the arrival window and the session's end
 * ('early'). Cameras do not see everyone, so a track that vanishes keeps its last known zone, except
 * that an expert who goes out of sight at the door of one of their own rooms that no camera sees is in
 * that room (unseen.ts).
 */
import type { PersonTrack } from '../../contract/venue/tracks.js'
import { makeFinding, type Finding, type RuleContext, type RuleInstance, type RuleOf, type SessionDay } from './types.js'
import { UnseenZones } from './unseen.js'

const DAY_MS = 24 * 3_600_000

interface ExpertState {
  project: string
  /** Last track with a known zone. */
  last: PersonTrack & { zone: string }
  /** start_ms of the session in which the expert was seen in one of their rooms. */
  arrivedFor: number | null
  /** When the last known zone stopped being one of their rooms; null while in a room. */
  leftAt: number | null
  absentFired: boolean
  /** Whether 'early' has fired for the current stay in an exit zone. */
  earlyFired: boolean
}

export function createExpertAbsent(config: RuleOf<'expert_absent'>, ctx: RuleContext): RuleInstance {
  const absence_ms = config.absence_s * 1000
  const experts = new Map<string, ExpertState>()
  const unseen = new UnseenZones(ctx)
  // The session whose [arrival_ms, end_ms) holds now: the roster day's, or (a "today" roster after
  // midnight) yesterday's overnight session.
  const sessionNow = (project: string, now: number): SessionDay | null => {
    for (const s of [ctx.sessionAt(project, now), ctx.sessionAt(project, now - DAY_MS)])
      if (s !== null && now >= s.arrival_ms && now < s.end_ms) return s
    return null
  }
  const finding = (st: ExpertState, now: number, extra: 'absent' | 'early', since: number): Finding =>
    makeFinding(config, {
      title:
        extra === 'absent'
          ? `Expert of project ${st.project} out of their room for ${config.absence_s} s`
          : `Expert of project ${st.project} left before the session ends`,
      subjects: [st.last.subject],
      zone: st.last.zone,
      floor: st.last.floor,
      cameras: st.last.cameras,
      at: now,
      since,
      dedupExtra: extra,
    })
  const checkAbsent = (now: number): Finding[] => {
    const out: Finding[] = []
    for (const st of experts.values()) {
      if (st.leftAt === null || st.absentFired) continue
      const s = sessionNow(st.project, now)
      if (s === null || st.arrivedFor !== s.start_ms || now < s.start_ms) continue
      // Time out of the room counts only from the session's start.
      if (now - Math.max(st.leftAt, s.start_ms) < absence_ms) continue
      st.absentFired = true
      out.push(finding(st, now, 'absent', st.leftAt))
    }
    return out
  }
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const out: Finding[] = []
      for (const t of tracks) {
        if (t.category !== 'expert' || t.subject === 'unknown' || t.zone === null) continue
        const project = ctx.projectOf(t.subject)
        if (project === null) continue // not on the roster
        const last = { ...t, zone: t.zone }
        let st = experts.get(t.subject)
        if (!st) experts.set(t.subject, (st = { project, last, arrivedFor: null, leftAt: null, absentFired: false, earlyFired: false }))
        st.last = last
        const s = sessionNow(project, now)
        if (ctx.roomsOf(project).includes(t.zone)) {
          st.leftAt = null
          st.absentFired = false
          if (s !== null) st.arrivedFor = s.start_ms
        } else if (st.leftAt === null) st.leftAt = now
        if (ctx.zoneKind(t.zone) !== 'exit') st.earlyFired = false
        else if (config.earlyLeave && !st.earlyFired && s !== null) {
          st.earlyFired = true
          out.push(finding(st, now, 'early', now))
        }
      }
      for (const [subject, inside] of unseen.update(tracks, now)) {
        const st = experts.get(subject)
        if (st === undefined || !ctx.roomsOf(st.project).includes(inside.zone)) continue
        st.leftAt = null
        st.absentFired = false
        const s = sessionNow(st.project, now)
        if (s !== null) st.arrivedFor = s.start_ms
      }
      return out.concat(checkAbsent(now))
    },
    onTick: checkAbsent,
  }
}
