/**
 * Quality gate: is a detected face worth embedding? Three measures, each also turned into a 0..1 score:
 * - size: the box's shorter side in frame pixels (fails below `minFaceSize`; score 1 from 112 px, the
 *   embedder's input size);
 * - sharpness: variance of the Laplacian of the grey 64x64 face crop divided by the crop's own intensity
 *   variance (so it does not depend on contrast or exposure); score on a log scale, 0 at 0.02, 1 at 0.4;
 * - pose: rough yaw / pitch in degrees from the five landmarks (nose offset from the eye-mouth midline,
 *   and nose height between the eye line and the mouth line, in a roll-corrected frame).
 * Calibration on ../shared/faces (38 photos, all frontal-ish and sharp): sharpness min 0.39, median 1.0;
 * a Gaussian blur of sigma 3% of the face's side drops it to 0.009..0.09 and the embedding's cosine to its
 * unblurred self to 0.62..0.84 (1% blur: 0.13..1.0 and >= 0.94), hence the default 0.05. Estimated yaw
 * on the set stays within +-35 degrees, pitch within +-32.
 */
import type { Landmarks5 } from './landmarks.js'
import type { Box } from './nms.js'

export interface QualityOptions {
  /** Minimum shorter box side, frame pixels. Default 40. */
  minFaceSize?: number
  /** Minimum normalised Laplacian variance. Default 0.05. */
  minSharpness?: number
  /** Maximum |yaw|, degrees. Default 45. */
  maxYaw?: number
  /** Maximum |pitch|, degrees. Default 40. */
  maxPitch?: number
  /** Minimum combined score (venue file: vision.quality.minQuality). Default 0.3. */
  minQuality?: number
}

export type QualityReason = 'too_small' | 'blurry' | 'yaw' | 'pitch' | 'low_quality'

export interface Pose {
  /** Degrees; positive: the nose points to the image's right. Rough. */
  yaw: number
  /** Degrees; positive: looking down. Rough. */
  pitch: number
  /** Degrees; in-plane rotation of the eye line. */
  roll: number
}

export interface Quality {
  /** 0..1: geometric mean of the size, sharpness and pose scores. */
  score: number
  passed: boolean
  reasons: QualityReason[]
  size: number
  sharpness: number
  pose: Pose
}

/** Normalised Laplacian variance of a square grey image (any value scale: the ratio cancels it). */
export function sharpness(grey: Float32Array, size: number): number {
  let ls = 0
  let ls2 = 0
  let ps = 0
  let ps2 = 0
  let n = 0
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const i = y * size + x
      const p = grey[i]!
      const l = 4 * p - grey[i - 1]! - grey[i + 1]! - grey[i - size]! - grey[i + size]!
      ls += l
      ls2 += l * l
      ps += p
      ps2 += p * p
      n++
    }
  }
  if (n === 0) return 0
  const lv = ls2 / n - (ls / n) ** 2
  const pv = ps2 / n - (ps / n) ** 2
  return pv > 1e-12 ? lv / pv : 0
}

/** Nose height between eye line (0) and mouth line (1) on frontal faces of the test set (median). */
const FRONTAL_NOSE_HEIGHT = 0.58
/** Nose protrusion relative to inter-ocular distance / eye-mouth distance (average head geometry). */
const YAW_DEPTH = 0.4
const PITCH_DEPTH = 0.35
const DEG = 180 / Math.PI

/** Rough head pose from five points (left eye, right eye, nose, left mouth, right mouth). */
export function estimatePose(l: Landmarks5): Pose {
  const [le, re, nose, ml, mr] = l
  const roll = Math.atan2(re[1] - le[1], re[0] - le[0])
  const c = Math.cos(-roll)
  const s = Math.sin(-roll)
  const rot = (p: readonly [number, number]): [number, number] => [c * p[0] - s * p[1], s * p[0] + c * p[1]]
  const [a, b, n, d, e] = [rot(le), rot(re), rot(nose), rot(ml), rot(mr)]
  const eyeX = (a[0] + b[0]) / 2
  const eyeY = (a[1] + b[1]) / 2
  const mouthX = (d[0] + e[0]) / 2
  const mouthY = (d[1] + e[1]) / 2
  const iod = Math.hypot(b[0] - a[0], b[1] - a[1])
  const eyeMouth = mouthY - eyeY
  if (iod < 1e-6 || Math.abs(eyeMouth) < 1e-6) return { yaw: 90, pitch: 0, roll: roll * DEG }
  const yawRatio = (n[0] - (eyeX + mouthX) / 2) / iod
  const height = (n[1] - eyeY) / eyeMouth
  return {
    yaw: Math.atan(yawRatio / YAW_DEPTH) * DEG,
    pitch: Math.atan((height - FRONTAL_NOSE_HEIGHT) / PITCH_DEPTH) * DEG,
    roll: roll * DEG,
  }
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v)

export function assessQuality(box: Box, landmarks5: Landmarks5, greyCrop: Float32Array, cropSize: number, opts: QualityOptions = {}): Quality {
  const minFaceSize = opts.minFaceSize ?? 40
  const minSharpness = opts.minSharpness ?? 0.05
  const maxYaw = opts.maxYaw ?? 45
  const maxPitch = opts.maxPitch ?? 40
  const size = Math.min(box[2] - box[0], box[3] - box[1])
  const sharp = sharpness(greyCrop, cropSize)
  const pose = estimatePose(landmarks5)
  const reasons: QualityReason[] = []
  if (size < minFaceSize) reasons.push('too_small')
  if (!(sharp >= minSharpness)) reasons.push('blurry')
  if (!(Math.abs(pose.yaw) <= maxYaw)) reasons.push('yaw')
  if (!(Math.abs(pose.pitch) <= maxPitch)) reasons.push('pitch')
  const sizeScore = clamp01(size / 112)
  const sharpScore = clamp01(Math.log(Math.max(sharp, 1e-9) / 0.02) / Math.log(0.4 / 0.02))
  const poseScore = Math.cos(Math.min(90, Math.abs(pose.yaw)) / DEG) * Math.cos(Math.min(90, Math.abs(pose.pitch)) / DEG)
  const score = Math.cbrt(sizeScore * sharpScore * poseScore)
  if (score < (opts.minQuality ?? 0.3)) reasons.push('low_quality')
  return { score, passed: reasons.length === 0, reasons, size, sharpness: sharp, pose }
}
