/**
 * Per-camera identity work: the tracker follows faces between frames, and the embedder runs only when
 * it is worth it (issue 4): while a track's identity is still pending, when its face quality improves
 * markedly, and at a slow refresh rate. Each recognition is folded into the track's consensus, so one
 * odd frame never renames a person.
 *
 * Except after a moment the tracker may have confused two people: two faces passed close to each
 * other (or one passed where a lost track was last predicted). Such a named track is recognised again as
 * soon as it stands clear, and if that face is not the named person the old name is dropped at once
 * (the track starts a fresh consensus): otherwise the name would follow the wrong face until the next
 * refresh, seconds later, and the monitor would see one person in two places.
 */
import { Tracker, type TrackSnapshot } from '../vision/tracker/index.js'
import { IdentityConsensus, type Consensus, type Decision } from '../vision/gallery/index.js'
import type { DetectedFace } from './analysis/protocol.js'
import type { SightingTrack } from '../contract/index.js'

export interface RecognitionPolicy {
  /** Re-run recognition on a settled track this often. */
  refresh_ms: number
  /** ... or when its face quality beats the best seen so far by this much. */
  qualityGain: number
  /** Smoothing of liveness over a track's recognitions (weight of the newest). */
  livenessAlpha: number
  /**
   * Faces recognised per frame at most: one recognition (embed + liveness) costs ~35 ms, so doing every
   * due face of a crowded frame at once would hold that frame's sighting back by 100 ms or more; the
   * rest wait for the next frame, most urgent first.
   */
  perFrame: number
}

export const DEFAULT_POLICY: RecognitionPolicy = { refresh_ms: 10_000, qualityGain: 0.15, livenessAlpha: 0.5, perFrame: 1 }

interface TrackState {
  consensus: IdentityConsensus
  last: Consensus
  recognisedAt: number
  bestQuality: number
  liveness: number | null
  bestDecision: Decision | undefined
  /** Its first sighting has been published. */
  announced: boolean
  /** Since its last recognition the track was lost for a frame or passed close to another face. */
  suspect: boolean
}

export interface PlannedTrack {
  track: TrackSnapshot
  face: DetectedFace
  recognise: boolean
}

export class CameraRecognition {
  private readonly tracker = new Tracker()
  private readonly states = new Map<string, TrackState>()

  constructor(private readonly policy: RecognitionPolicy = DEFAULT_POLICY) {}

  /** Track this frame's faces and say which of them to recognise now. */
  plan(time_ms: number, faces: readonly DetectedFace[]): PlannedTrack[] {
    const tracks = this.tracker.update(
      time_ms,
      faces.map((f) => ({ box: f.box, score: f.score })),
    )
    const live = new Set(this.tracker.tracks().map((t) => t.id))
    for (const id of this.states.keys()) if (!live.has(id)) this.states.delete(id)
    // a lost track's predicted box counts: a face passing where it was may be taken for it
    const near = closeTracks(tracks)
    const planned: Array<PlannedTrack & { urgency: number }> = []
    for (const track of tracks) {
      if (track.detection === null) {
        const lost = this.states.get(track.id)
        if (lost !== undefined && near.has(track.id)) lost.suspect = true
        continue
      }
      const face = faces[track.detection]
      if (face === undefined) continue
      let state = this.states.get(track.id)
      if (state === undefined) {
        const consensus = new IdentityConsensus()
        state = { consensus, last: consensus.current(), recognisedAt: -Infinity, bestQuality: 0, liveness: null, bestDecision: undefined, announced: false, suspect: false }
        this.states.set(track.id, state)
      }
      if (near.has(track.id)) state.suspect = true
      // a named track that may have swapped faces first, once clear of the other face (a wrong name is
      // worse than none yet), then pending identities, then marked quality gains, then the stalest refresh
      const urgency =
        state.suspect && state.last.status === 'subject' && !near.has(track.id)
          ? 4
          : state.last.status === 'pending'
            ? 3
            : face.quality.score >= state.bestQuality + this.policy.qualityGain
            ? 2
            : time_ms - state.recognisedAt >= this.policy.refresh_ms
              ? 1
              : 0
      planned.push({ track, face, recognise: false, urgency: face.quality.passed ? urgency + Math.min(0.99, (time_ms - state.recognisedAt) / 1e6) : 0 })
    }
    const chosen = planned.filter((p) => p.urgency >= 1).sort((a, b) => b.urgency - a.urgency).slice(0, this.policy.perFrame)
    for (const p of chosen) p.recognise = true
    return planned.map(({ urgency: _urgency, ...p }) => p)
  }

  /** Fold a recognition of a planned track. */
  observe(time_ms: number, trackId: string, decision: Decision, quality: number, liveness: number | undefined): void {
    const state = this.states.get(trackId)
    if (state === undefined) return
    // the face a suspect track follows now is not the one it was named for: a fresh consensus
    if (state.suspect && state.last.status === 'subject' && decision.subject !== state.last.subject) state.consensus = new IdentityConsensus()
    state.suspect = false
    state.last = state.consensus.observe(decision, quality)
    state.recognisedAt = time_ms
    state.bestQuality = Math.max(state.bestQuality, quality)
    if (state.bestDecision === undefined || decision.score > state.bestDecision.score) state.bestDecision = decision
    if (liveness !== undefined) {
      const a = this.policy.livenessAlpha
      state.liveness = state.liveness === null ? liveness : a * liveness + (1 - a) * state.liveness
    }
  }

  /** The track as a sighting: the consensus names the subject, unknown until it is settled. */
  sighting(p: PlannedTrack): SightingTrack {
    const state = this.states.get(p.track.id)
    const named = state?.last.status === 'subject'
    const score = named ? state!.last.score : Math.max(0, state?.bestDecision?.score ?? 0)
    return {
      trackId: p.track.id,
      box: [round1(p.face.box[0]), round1(p.face.box[1]), round1(p.face.box[2]), round1(p.face.box[3])],
      floor: null,
      subject: named ? state!.last.subject : 'unknown',
      score: clamp01(score),
      liveness: state?.liveness === null || state === undefined ? null : clamp01(state.liveness),
      quality: clamp01(p.face.quality.score),
    }
  }

  /** Mark the track's sighting as published; true the first time (its first sighting: worth a snapshot). */
  announce(p: PlannedTrack): boolean {
    const state = this.states.get(p.track.id)
    if (state === undefined || state.announced) return false
    state.announced = true
    return true
  }
}

/**
 * Ids of tracks whose faces are close enough to another's for the tracker to have confused them: the
 * centres less than the two face widths apart (touching, overlapping, or about to).
 */
function closeTracks(tracks: readonly TrackSnapshot[]): Set<string> {
  const out = new Set<string>()
  for (let i = 0; i < tracks.length; i++) {
    for (let j = i + 1; j < tracks.length; j++) {
      const a = tracks[i]!.box
      const b = tracks[j]!.box
      const gap = Math.hypot((a[0] + a[2] - b[0] - b[2]) / 2, (a[1] + a[3] - b[1] - b[3]) / 2)
      if (gap < a[2] - a[0] + (b[2] - b[0])) {
        out.add(tracks[i]!.id)
        out.add(tracks[j]!.id)
      }
    }
  }
  return out
}

const round1 = (v: number) => Math.round(v * 10) / 10
const clamp01 = (v: number) => Math.min(1, Math.max(0, v))
