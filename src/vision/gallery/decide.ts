/**
 * Identity decisions from search scores, and threshold calibration.
 *
 * Defaults come from the project's small real set (ArcFace-style 512-d embeddings): same-person cosine
 * mean ~0.69, p5 ~0.46; different-person mean ~0.0, max ~0.35. A threshold of 0.40 sits between the
 * impostor maximum and the genuine 5th percentile (FNMR under 5% per frame on that set, which track
 * consensus absorbs); the margin of 0.05 turns faces that resemble two enrolled subjects into
 * `unknown`. The set is small: its impostor tail is not measured below ~1e-3, and a 1:N search over
 * N templates multiplies the per-comparison false-match rate by about N. Production thresholds need
 * a larger calibration set (`calibrate` on thousands of genuine and >= 3/targetFmr impostor pairs).
 */

export const DEFAULT_MATCH_THRESHOLD = 0.4
export const DEFAULT_MARGIN = 0.05

export interface Thresholds {
  /** Best cosine needed to name a subject. */
  matchThreshold: number
  /** Best minus the best score of any other subject needed to name it. */
  margin: number
}

export const DEFAULT_THRESHOLDS: Thresholds = { matchThreshold: DEFAULT_MATCH_THRESHOLD, margin: DEFAULT_MARGIN }

export interface Decision {
  subject: string | 'unknown'
  /** Best cosine found (also when the answer is unknown); -1 with an empty gallery. */
  score: number
  /** Best cosine of any other subject; -1 when there is none. */
  secondScore: number
  /** Template id that matched best (the named subject's, or the nearest one when unknown). */
  template?: string
}

/** Decide from per-subject best scores, best first. */
export function decideFrom(hits: ReadonlyArray<{ subject: string; score: number; template: string }>, t: Thresholds): Decision {
  const best = hits[0]
  if (!best) return { subject: 'unknown', score: -1, secondScore: -1 }
  const secondScore = hits[1]?.score ?? -1
  const named = best.score >= t.matchThreshold && best.score - secondScore >= t.margin
  return { subject: named ? best.subject : 'unknown', score: best.score, secondScore, template: best.template }
}

export interface Calibration {
  /** Lowest threshold whose impostor false-match rate is <= targetFmr. */
  threshold: number
  targetFmr: number
  /** Measured at `threshold`: impostor scores >= threshold / impostor count. */
  fmr: number
  /** Measured at `threshold`: genuine scores < threshold / genuine count. */
  fnmr: number
  falseMatches: number
  falseNonMatches: number
  genuineCount: number
  impostorCount: number
  /** Impostor scores needed to measure the target at all (rule of three: 3 / targetFmr). */
  impostorsNeeded: number
  /** Set when the sets are too small for the result to mean much. */
  warning?: string
}

/** The next float64 above x (thresholds must sit strictly above an impostor score to exclude it). */
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x
  if (x === 0) return Number.MIN_VALUE
  const f = new Float64Array([x])
  const b = new BigInt64Array(f.buffer)
  b[0] = b[0]! + (x > 0 ? 1n : -1n)
  return f[0]!
}

/**
 * Pick the match threshold from genuine (same-person) and impostor (different-person) cosine scores:
 * the lowest threshold at which at most `targetFmr` of impostor scores are >= it, with the FNMR there.
 */
export function calibrate(genuine: readonly number[], impostor: readonly number[], options: { targetFmr: number }): Calibration {
  const { targetFmr } = options
  if (!(targetFmr >= 0 && targetFmr <= 1)) throw new RangeError(`targetFmr must be in [0, 1], got ${targetFmr}`)
  if (impostor.length === 0) throw new RangeError('calibrate needs impostor scores')
  const imp = [...impostor].sort((a, b) => b - a)
  const allowed = Math.floor(targetFmr * imp.length + 1e-9)
  // threshold just above the (allowed+1)-th highest impostor score; ties at it are all excluded
  let threshold = allowed >= imp.length ? -Infinity : nextUp(imp[allowed]!)
  if (threshold === -Infinity) threshold = Math.min(-1, imp[imp.length - 1]!)
  const falseMatches = imp.filter((s) => s >= threshold).length
  const falseNonMatches = genuine.filter((s) => s < threshold).length
  const impostorsNeeded = targetFmr > 0 ? Math.ceil(3 / targetFmr) : Infinity
  const warnings: string[] = []
  if (imp.length < impostorsNeeded) {
    warnings.push(`${imp.length} impostor scores cannot measure an FMR of ${targetFmr} (need >= ${impostorsNeeded}); the threshold only clears the highest impostors seen`)
  }
  if (genuine.length < 100) warnings.push(`only ${genuine.length} genuine scores: FNMR is rough`)
  return {
    threshold,
    targetFmr,
    fmr: falseMatches / imp.length,
    fnmr: genuine.length ? falseNonMatches / genuine.length : NaN,
    falseMatches,
    falseNonMatches,
    genuineCount: genuine.length,
    impostorCount: imp.length,
    impostorsNeeded,
    ...(warnings.length ? { warning: warnings.join('; ') } : {}),
  }
}
