/**
 * The noise model of the synthetic cameras: how often a face in view is missed, misread or left
 * unnamed, and how the scores an edge node reports are spread. Defaults follow the vision bench
 * (README "bench:vision"): rank-1 24/24 with one photo per person and no photo matched to the wrong
 * person, every left-out person `unknown`, 38/38 real photos scored live. Per frame, a real edge still
 * misses the odd face (pose, blur, occlusion) and now and then names nobody; a wrong name is rarer.
 */
import { gaussian, type Rng } from '../../shared/random.js'

export interface NoiseOptions {
  /** Share of (person, frame) detections that are missed: the face is in view but not reported. */
  missRate: number
  /** Standard deviation, per axis, of the reported floor position around the true one, metres. */
  jitter_m: number
  /** Share of an enrolled person's sightings reported as another roster subject. */
  misidRate: number
  /** Share of an enrolled person's sightings reported as 'unknown'. */
  unknownRate: number
  /** Liveness of a photo or screen held up to the camera: mean and standard deviation. */
  spoofLiveness: { mean: number; sd: number }
  /** Liveness of a live face: mean and standard deviation. */
  liveLiveness: { mean: number; sd: number }
  /** Similarity reported for a correct match, uniform in [min, max]. */
  matchScore: [number, number]
  /** Similarity reported for a wrong match: just over the match threshold, as wrong matches are. */
  misidScore: [number, number]
  /** Best similarity of an 'unknown' face (no subject passes the threshold), uniform in [min, max]. */
  unknownScore: [number, number]
  /** Face quality: mean and standard deviation. */
  quality: { mean: number; sd: number }
}

export const DEFAULT_NOISE: Readonly<NoiseOptions> = Object.freeze<NoiseOptions>({
  missRate: 0.05,
  jitter_m: 0.15,
  misidRate: 0.01,
  unknownRate: 0.03,
  spoofLiveness: { mean: 0.1, sd: 0.05 },
  liveLiveness: { mean: 0.92, sd: 0.04 },
  matchScore: [0.75, 0.9],
  misidScore: [0.45, 0.6],
  unknownScore: [0.1, 0.3],
  quality: { mean: 0.8, sd: 0.05 },
})

export type NoiseInput = Partial<NoiseOptions>

/** The defaults overlaid with `input`; throws on a rate outside [0, 1] or a negative spread. */
export function noiseOptions(input: NoiseInput = {}): NoiseOptions {
  const n: NoiseOptions = { ...DEFAULT_NOISE, ...input }
  for (const k of ['missRate', 'misidRate', 'unknownRate'] as const) {
    if (!(n[k] >= 0 && n[k] <= 1)) throw new Error(`noise.${k} must be in [0, 1], got ${n[k]}`)
  }
  if (n.misidRate + n.unknownRate > 1) throw new Error('noise.misidRate + noise.unknownRate must not exceed 1')
  if (!(n.jitter_m >= 0)) throw new Error(`noise.jitter_m must be >= 0, got ${n.jitter_m}`)
  for (const k of ['spoofLiveness', 'liveLiveness', 'quality'] as const) {
    if (!(n[k].sd >= 0) || !Number.isFinite(n[k].mean)) throw new Error(`noise.${k} needs a finite mean and sd >= 0`)
  }
  for (const k of ['matchScore', 'misidScore', 'unknownScore'] as const) {
    const [lo, hi] = n[k]
    if (!(lo >= 0 && lo <= hi && hi <= 1)) throw new Error(`noise.${k} must be [min, max] within [0, 1]`)
  }
  return n
}

export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x))

/** Uniform in [lo, hi]. */
export const uniform = (rng: Rng, [lo, hi]: readonly [number, number]): number => lo + (hi - lo) * rng()

/** Normal sample clamped to [0, 1]. */
export const score01 = (rng: Rng, { mean, sd }: { mean: number; sd: number }): number => clamp(mean + sd * gaussian(rng), 0, 1)

/** Round to `digits` decimals (payloads stay short and readable). */
export const round = (x: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** A small stable hash of a string (FNV-1a), to give each camera its own random stream. */
export function hash32(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
