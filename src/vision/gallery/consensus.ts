/**
 * Identity over a track: folds per-frame decisions into one answer with hysteresis. Each frame votes
 * for its decided subject (or for unknown) with weight = face quality (frames below `minQuality` do
 * not vote); votes decay by `decay` per frame, so the evidence covers roughly the last
 * 1 / (1 - decay) frames. A subject is named once its evidence reaches `nameAt` over at least
 * `minFrames` frames and holds `agreement` of all the evidence; it is kept until another subject
 * meets the same test, or unknown does, so one odd frame never flips the answer. `unknown` is
 * reported as settled after `unknownAt` evidence holding `unknownAgreement` of the total.
 */
import type { Decision } from './decide.js'

export interface ConsensusOptions {
  /** Per-frame decay of past evidence (default 0.85: about the last 7 frames count). */
  decay?: number
  /** Frames with a lower face quality are ignored (default 0.2). */
  minQuality?: number
  /** Evidence (quality-weighted frames) needed to name a subject (default 2). */
  nameAt?: number
  /** Matching frames needed to name a subject (default 3). */
  minFrames?: number
  /**
   * Share of the evidence a subject needs to be named or to replace another (default 0.65: frames
   * alternating between two subjects peak at ~0.6 and name neither).
   */
  agreement?: number
  /** Evidence of non-matching frames needed to settle on unknown (default 2.5: four good frames). */
  unknownAt?: number
  /** Share of the evidence unknown needs to be settled (default 0.75). */
  unknownAgreement?: number
}

export interface Consensus {
  /** pending: not enough evidence yet (publish as unknown); subject: named; unknown: confidently nobody enrolled. */
  status: 'pending' | 'subject' | 'unknown'
  subject: string | 'unknown'
  /** Share of the current evidence behind the answer, 0..1. */
  confidence: number
  /** Quality-weighted mean cosine of the frames that voted for the named subject (0 otherwise). */
  score: number
  /** Frames observed (including ignored ones). */
  frames: number
}

interface Votes {
  evidence: number
  frames: number
  scoreSum: number
  weightSum: number
}

const UNKNOWN = 'unknown'

export class IdentityConsensus {
  private readonly o: Required<ConsensusOptions>
  private readonly votes = new Map<string, Votes>()
  private status: Consensus['status'] = 'pending'
  private subject: string = UNKNOWN
  private frames = 0

  constructor(options: ConsensusOptions = {}) {
    this.o = {
      decay: options.decay ?? 0.85,
      minQuality: options.minQuality ?? 0.2,
      nameAt: options.nameAt ?? 2,
      minFrames: options.minFrames ?? 3,
      agreement: options.agreement ?? 0.65,
      unknownAt: options.unknownAt ?? 2.5,
      unknownAgreement: options.unknownAgreement ?? 0.75,
    }
  }

  /** Fold one frame's decision for this track, with its face quality in [0, 1]. */
  observe(decision: Decision, quality: number): Consensus {
    this.frames++
    for (const v of this.votes.values()) v.evidence *= this.o.decay
    if (quality >= this.o.minQuality) {
      const w = Math.min(quality, 1)
      const key = decision.subject
      const v = this.votes.get(key) ?? { evidence: 0, frames: 0, scoreSum: 0, weightSum: 0 }
      v.evidence += w
      v.frames++
      v.scoreSum += w * decision.score
      v.weightSum += w
      this.votes.set(key, v)
    }
    this.update()
    return this.current()
  }

  current(): Consensus {
    const v = this.votes.get(this.subject)
    const total = this.total()
    return {
      status: this.status,
      subject: this.subject,
      confidence: v && total > 0 ? v.evidence / total : 0,
      score: this.status === 'subject' && v && v.weightSum > 0 ? v.scoreSum / v.weightSum : 0,
      frames: this.frames,
    }
  }

  private total(): number {
    let t = 0
    for (const v of this.votes.values()) t += v.evidence
    return t
  }

  private update(): void {
    const total = this.total()
    if (total <= 0) return
    let leader: string | undefined
    let lead = 0
    for (const [s, v] of this.votes) {
      if (s !== UNKNOWN && v.evidence > lead) {
        leader = s
        lead = v.evidence
      }
    }
    const named = leader !== undefined && this.votes.get(leader)!
    if (named && named.evidence >= this.o.nameAt && named.frames >= this.o.minFrames && named.evidence / total >= this.o.agreement) {
      this.status = 'subject'
      this.subject = leader!
      return
    }
    const unknown = this.votes.get(UNKNOWN)
    if (unknown && unknown.evidence >= this.o.unknownAt && unknown.evidence / total >= this.o.unknownAgreement) {
      this.status = UNKNOWN
      this.subject = UNKNOWN
    }
  }
}
