/**
 * Per-camera multi-object tracker of the ByteTrack family (Zhang et al., 2022), pure: no I/O, no timers;
 * time comes only from the frame times given to `update`.
 *
 * Per frame: every track's Kalman state is moved to the frame time; then
 *  1. high detections (score >= high) against confirmed tracks, tracked or lost: optimal assignment on
 *     1 - IoU (+ optional extra cost) gated at `matchIou`, then the pairs left on Kalman motion
 *     (Mahalanobis distance gated at `motionGate`), which finds fast faces and drifted lost tracks at 5 fps;
 *  2. low detections (low <= score < high) against the tracked (and recently lost) tracks still unmatched,
 *     on IoU only; tracks still unmatched become (stay) lost;
 *  3. remaining high detections against tentative tracks, as in 1; a tentative track that misses is
 *     removed, one with `confirmHits` hits is confirmed;
 *  4. remaining high detections (score >= newTrack) start tentative tracks;
 *  5. lost tracks not updated for `lostMs` are removed (time-based, whatever the frame rate). */
import { iou, type Box } from '../nms.js'
import { assign } from './assignment.js'
import { BoxKalman, type KalmanParams } from './kalman.js'

export interface Detection {
  /** x1, y1, x2, y2 in pixels. */
  box: Box
  /** Detector score, 0..1. */
  score: number
}

export type TrackState = 'tentative' | 'confirmed' | 'lost' | 'removed'

export interface TrackSnapshot {
  /** `trk-<n>`, unique for the life of the tracker (reset() does not reuse numbers). */
  id: string
  state: TrackState
  /** Kalman-filtered box at the last frame time, x1 y1 x2 y2 (predicted, for a track not matched then). */
  box: [number, number, number, number]
  /** Centre velocity, pixels per second. */
  velocity: [number, number]
  /** Index in this frame's detections of the detection the track matched, or null. */
  detection: number | null
  /** Score of the last matched detection. */
  score: number
  /** Frames since the track was born, counting the birth frame. */
  age: number
  /** Frames in which the track matched a detection. */
  hits: number
  /** Frame time of the track's birth, ms. */
  bornMs: number
  /** Time since the track last matched a detection, ms (0 when it matched this frame). */
  sinceUpdateMs: number
}

/**
 * Extra association cost for a (track, detection) pair, added to the geometric cost (1 - IoU, or the
 * motion distance / motionGate, both in 0..1) of pairs that pass the gate: e.g. an embedding cosine distance
 * (scaled to taste). May be negative (a bonus); Infinity or NaN forbids the pair. A pair is matched only
 * while its total stays under the stage's limit (1 - gate IoU, or 1). Used in the high-score stages (1 and 3)
 * only: low-score detections are matched on geometry alone.
 */
export type ExtraCost = (track: TrackSnapshot, detection: Detection, index: number) => number

export interface TrackerOptions {
  /** Detections at or above this score are "high". Default 0.6. */
  high?: number
  /** Detections below this score are ignored; [low, high) is the second stage's. Default 0.3. */
  low?: number
  /** Minimum score for an unmatched detection to start a track. Default: `high`. */
  newTrack?: number
  /** Hits (matched frames, birth included) that confirm a tentative track. Default 2. */
  confirmHits?: number
  /** A lost track is removed this long after its last match, ms. Default 2000. */
  lostMs?: number
  /** Minimum IoU of a pair in stage 1 (high detections vs tracked and lost). Default 0.2 (ByteTrack: 1 - 0.8). */
  matchIou?: number
  /** Minimum IoU in stage 2 (low detections vs tracked and recently lost). Default 0.5. */
  lowMatchIou?: number
  /**
   * Stage 2 also offers low detections to tracks lost no longer than this, ms. ByteTrack offers them to
   * tracked tracks only (0 here); at 5 fps with missed detections a face is often lost for one frame and
   * then comes back partly hidden or blurred, i.e. with a low score. Default: `lostMs` (every lost track).
   */
  lowRecoverMs?: number
  /** Minimum IoU in stage 3 (high detections vs tentative). Default 0.3. */
  tentativeMatchIou?: number
  /** Run stage 2 (the ByteTrack part). Default true; false gives a SORT-like tracker for comparison. */
  secondStage?: boolean
  /**
   * Pairs left after IoU matching (stages 1 and 3) are matched on motion: the squared Mahalanobis distance
   * of the detection from the track's Kalman prediction over (cx, cy, w, h), gated at this chi-square
   * value (4 dof; 9.49 = 95%). At 5 fps a walking face can move more than its width between frames, and a
   * lost track's prediction drifts; this finds them where IoU cannot. 0 turns it off. Default 9.49.
   */
  motionGate?: number
  /** Also return lost tracks (predicted box, detection null) for this long after their last match, ms. Default 0. */
  emitLostMs?: number
  /** Extra association cost; can also be given per update. */
  extraCost?: ExtraCost
  /** Kalman filter noise. */
  kalman?: Partial<KalmanParams>
}

interface Track {
  n: number
  state: Exclude<TrackState, 'removed'>
  kf: BoxKalman
  detection: number | null
  score: number
  age: number
  hits: number
  bornMs: number
  lastMs: number
}

type PairCost = (track: Track, box: Box) => number
type Matched = { tracks: Track[]; dets: number[] }

type Required_ = Required<Omit<TrackerOptions, 'extraCost' | 'kalman' | 'newTrack'>> & { newTrack: number }

export class Tracker {
  private readonly opts: Required_
  private readonly kalman: Partial<KalmanParams>
  private readonly extraCost: ExtraCost | undefined
  private live: Track[] = []
  private gone: TrackSnapshot[] = []
  private readonly dead = new Set<Track>()
  private next = 1
  private now = -Infinity

  constructor(options: TrackerOptions = {}) {
    const high = options.high ?? 0.6
    this.opts = {
      high,
      low: options.low ?? 0.3,
      newTrack: options.newTrack ?? high,
      confirmHits: options.confirmHits ?? 2,
      lostMs: options.lostMs ?? 2000,
      matchIou: options.matchIou ?? 0.2,
      lowMatchIou: options.lowMatchIou ?? 0.5,
      tentativeMatchIou: options.tentativeMatchIou ?? 0.3,
      secondStage: options.secondStage ?? true,
      lowRecoverMs: options.lowRecoverMs ?? options.lostMs ?? 2000,
      motionGate: options.motionGate ?? 9.49,
      emitLostMs: options.emitLostMs ?? 0,
    }
    const o = this.opts
    if (!(o.low <= o.high)) throw new Error(`tracker: low (${o.low}) must not exceed high (${o.high})`)
    if (!(o.confirmHits >= 1) || !(o.lostMs >= 0)) throw new Error('tracker: confirmHits must be >= 1 and lostMs >= 0')
    for (const g of [o.matchIou, o.lowMatchIou, o.tentativeMatchIou]) {
      if (!(g > 0 && g <= 1)) throw new Error(`tracker: IoU gates must be in (0, 1], got ${g}`)
    }
    this.kalman = options.kalman ?? {}
    this.extraCost = options.extraCost
  }

  /**
   * Track one frame. `timeMs` must not go backwards. Detections with a non-finite or empty box are ignored
   * (their index is kept). Returns the confirmed tracks matched in this frame (and, with `emitLostMs`, the
   * recently lost ones), in birth order.
   */
  update(timeMs: number, detections: readonly Detection[], hooks: { extraCost?: ExtraCost } = {}): TrackSnapshot[] {
    if (!Number.isFinite(timeMs)) throw new Error(`tracker: bad frame time ${timeMs}`)
    if (timeMs < this.now) throw new Error(`tracker: frame time went back from ${this.now} to ${timeMs}`)
    const dt = this.live.length > 0 ? (timeMs - this.now) / 1000 : 0
    this.now = timeMs
    this.gone = []
    const o = this.opts
    for (const t of this.live) {
      t.kf.predict(dt, t.state === 'lost')
      t.detection = null
      t.age++
    }

    const high: number[] = []
    const low: number[] = []
    detections.forEach((d, i) => {
      if (!validBox(d.box) || !Number.isFinite(d.score)) return
      if (d.score >= o.high) high.push(i)
      else if (d.score >= o.low) low.push(i)
    })
    const extra = hooks.extraCost ?? this.extraCost

    // 1. High detections vs confirmed tracks, tracked or lost: by IoU, then by motion for the rest.
    const pool = this.live.filter((t) => t.state === 'confirmed' || t.state === 'lost')
    const left1 = this.cascade(pool, high, detections, o.matchIou, extra)
    // 2. Low detections vs the tracked (and recently lost) tracks left, by IoU.
    const recent = (t: Track): boolean => t.state === 'confirmed' || timeMs - t.lastMs <= o.lowRecoverMs
    let leftTracks = left1.tracks.filter(recent)
    if (o.secondStage) leftTracks = this.match(leftTracks, low, detections, this.iouCost(o.lowMatchIou), 1 - o.lowMatchIou, undefined).tracks
    for (const t of leftTracks) t.state = 'lost'
    // 3. Remaining high detections vs tentative tracks.
    const tentative = this.live.filter((t) => t.state === 'tentative')
    const left3 = this.cascade(tentative, left1.dets, detections, o.tentativeMatchIou, extra)
    for (const t of left3.tracks) this.remove(t)
    // 4. New tracks.
    for (const i of left3.dets) {
      const d = detections[i]!
      if (d.score < o.newTrack) continue
      const t: Track = { n: this.next++, state: 'tentative', kf: new BoxKalman(d.box, this.kalman), detection: i, score: d.score, age: 1, hits: 1, bornMs: timeMs, lastMs: timeMs }
      if (o.confirmHits <= 1) t.state = 'confirmed'
      this.live.push(t)
    }
    // 5. Expire lost tracks.
    for (const t of this.live) if (t.state === 'lost' && timeMs - t.lastMs > o.lostMs) this.remove(t)
    if (this.gone.length > 0) this.live = this.live.filter((t) => !this.dead.has(t))
    this.dead.clear()

    return this.live
      .filter((t) => t.state === 'confirmed' || (t.state === 'lost' && o.emitLostMs > 0 && timeMs - t.lastMs <= o.emitLostMs))
      .map((t) => this.snapshot(t))
  }

  /** Every live track (tentative, confirmed, lost), in birth order. */
  tracks(): TrackSnapshot[] {
    return this.live.map((t) => this.snapshot(t))
  }

  /** Tracks removed by the last update (state 'removed', last known box). */
  removed(): TrackSnapshot[] {
    return [...this.gone]
  }

  /** Forget every track (ids keep counting up, so no id is ever reused by this tracker). */
  reset(): void {
    this.live = []
    this.gone = []
    this.now = -Infinity
  }

  /** IoU matching gated at `gate`, then (with `motionGate`) motion matching of what is left. */
  private cascade(tracks: Track[], dets: number[], all: readonly Detection[], gate: number, extra: ExtraCost | undefined): Matched {
    const left = this.match(tracks, dets, all, this.iouCost(gate), 1 - gate, extra)
    const g = this.opts.motionGate
    if (!(g > 0)) return left
    return this.match(left.tracks, left.dets, all, (t, box) => t.kf.mahalanobis(box) / g, 1, extra)
  }

  private iouCost(gate: number): PairCost {
    return (t, box) => {
      const overlap = iou(t.kf.box(), box)
      return overlap >= gate ? 1 - overlap : Infinity
    }
  }

  /** Optimal assignment of `tracks` to the detections `dets` (indices) under `cost`; updates the matched tracks. */
  private match(tracks: Track[], dets: number[], all: readonly Detection[], cost: PairCost, limit: number, extra: ExtraCost | undefined): Matched {
    if (tracks.length === 0 || dets.length === 0) return { tracks, dets }
    const m = new Float64Array(tracks.length * dets.length)
    tracks.forEach((t, r) => {
      const snap = extra ? this.snapshot(t) : undefined
      dets.forEach((i, c) => {
        const d = all[i]!
        let v = cost(t, d.box)
        if (snap && extra && v < limit) v += extra(snap, d, i)
        m[r * dets.length + c] = Number.isNaN(v) ? Infinity : v
      })
    })
    const a = assign(m, tracks.length, dets.length, limit)
    tracks.forEach((t, r) => {
      const c = a.rowToCol[r]!
      if (c < 0) return
      const i = dets[c]!
      const d = all[i]!
      t.kf.update(d.box)
      t.detection = i
      t.score = d.score
      t.hits++
      t.lastMs = this.now
      if (t.state === 'lost' || (t.state === 'tentative' && t.hits >= this.opts.confirmHits)) t.state = 'confirmed'
    })
    return { tracks: tracks.filter((_, r) => a.rowToCol[r]! < 0), dets: dets.filter((_, c) => a.colToRow[c]! < 0) }
  }

  private remove(t: Track): void {
    this.dead.add(t)
    this.gone.push({ ...this.snapshot(t), state: 'removed' })
  }

  private snapshot(t: Track): TrackSnapshot {
    return {
      id: `trk-${t.n}`,
      state: t.state,
      box: t.kf.box(),
      velocity: t.kf.velocity(),
      detection: t.detection,
      score: t.score,
      age: t.age,
      hits: t.hits,
      bornMs: t.bornMs,
      sinceUpdateMs: this.now - t.lastMs,
    }
  }
}

function validBox(b: Box): boolean {
  return b.every(Number.isFinite) && b[2] > b[0] && b[3] > b[1]
}
