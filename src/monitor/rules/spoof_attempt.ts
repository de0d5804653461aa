/**
 * spoof_attempt: a face at check-in that fails liveness on `frames` of the last max(frames, 5) frames
 * of one camera track. A photo of an expert is recognised as that expert, so the claimed subject is
 * named. One finding per camera track: a single bad frame is noise, a run of them is a presentation
 * attack.
 */
import type { Finding, RuleContext, RuleInstance, RuleOf, SeenFace } from './types.js'
import { makeFinding } from './types.js'

/** Frames looked at per camera track, at least. */
export const SPOOF_WINDOW_FRAMES = 5
/** A camera track with no frame for this long is forgotten, so memory stays bounded. */
export const SPOOF_TRACK_TTL_MS = 30_000

interface TrackMemory {
  /** Capture time of the last frames with a liveness score; `low` marks those below the threshold. */
  frames: { at: number; low: boolean }[]
  /** Last recognised subject of the track (a photo may be recognised on some frames only). */
  subject: string
  lastSeen: number
  fired: boolean
}

export function createSpoofAttempt(config: RuleOf<'spoof_attempt'>, ctx: RuleContext): RuleInstance {
  const window = Math.max(config.frames, SPOOF_WINDOW_FRAMES)
  const tracks = new Map<string, TrackMemory>()
  let prunedAt = -Infinity
  const prune = (now: number): void => {
    if (now - prunedAt < 1000) return // once a second is enough: the TTL is 30 s
    prunedAt = now
    for (const [key, m] of tracks) if (now - m.lastSeen > SPOOF_TRACK_TTL_MS) tracks.delete(key)
  }
  const checkinZone = (s: SeenFace): string | null => {
    if (s.zone !== null) return ctx.zoneKind(s.zone) === 'checkin' ? s.zone : null
    return ctx.cameraZones(s.camera).find((z) => ctx.zoneKind(z) === 'checkin') ?? null
  }
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onSighting(s, now): Finding[] {
      prune(now)
      const zone = checkinZone(s)
      if (zone === null) return []
      const key = `${s.camera}\u0000${s.trackId}`
      let m = tracks.get(key)
      if (!m) tracks.set(key, (m = { frames: [], subject: 'unknown', lastSeen: now, fired: false }))
      m.lastSeen = now
      if (s.subject !== 'unknown') m.subject = s.subject
      // A frame without a liveness score is no evidence either way: it neither counts nor dilutes.
      if (m.fired || s.liveness === null) return []
      m.frames.push({ at: s.at, low: s.liveness < config.liveness_min })
      if (m.frames.length > window) m.frames.shift()
      const low = m.frames.filter((f) => f.low)
      if (low.length < config.frames) return []
      m.fired = true
      return [
        makeFinding(config, {
          title: `Face failed liveness at check-in on ${low.length} of ${m.frames.length} frames (camera ${s.camera})`,
          subjects: [m.subject],
          zone,
          floor: s.floor,
          cameras: [s.camera],
          at: now,
          since: low[0]!.at,
          dedupExtra: s.camera,
        }),
      ]
    },
    onTick(now): Finding[] {
      prune(now)
      return []
    },
  }
}
