/**
 * Constant-velocity Kalman filter for one box, as in SORT/ByteTrack, but on (cx, cy, w, h) with time in
 * seconds so that a varying frame interval (dropped frames, a 5 fps camera that sometimes gives 3) is
 * handled exactly.
 *
 * State: [cx, cy, w, h, vcx, vcy, vw, vh] (pixels, pixels/s). The transition F = [[I, dt I], [0, I]], the
 * measurement H = [I, 0], the measurement noise R (diagonal) and the process noise Q (continuous white
 * acceleration per axis: q [[dt^3/3, dt^2/2], [dt^2/2, dt]]) never couple one axis with another, and the
 * initial covariance is diagonal, so the 8x8 covariance stays block-diagonal in (value, rate) pairs. We
 * therefore keep it as four 2x2 symmetric blocks, which is the 8x8 filter exactly, with no matrix library.
 *
 * Noise scales with the box, as in ByteTrack and BoT-SORT (here x axes with the width, y axes with the
 * height), so a 30 px and a 300 px face are filtered alike.
 */
import type { Box } from '../nms.js'

export interface KalmanParams {
  /** Std of a measured box coordinate, as a fraction of the box size. Default 0.05 (ByteTrack's 1/20). */
  measurementStd: number
  /**
   * Process noise: the velocity std gained over one second (white acceleration), as a fraction of the box
   * size per second. Larger follows turns faster, smaller smooths more. Default 1.5.
   */
  accelerationStd: number
  /** Std of the velocity of a new track, as a fraction of the box size per second. Default 2. */
  initialVelocityStd: number
}

export const DEFAULT_KALMAN: Readonly<KalmanParams> = { measurementStd: 0.05, accelerationStd: 1.5, initialVelocityStd: 2 }

/** Smallest width/height a prediction may shrink to, in pixels. */
const MIN_SIZE = 1

export class BoxKalman {
  /** [cx, cy, w, h, vcx, vcy, vw, vh]. */
  readonly mean = new Float64Array(8)
  /** Axis k's 2x2 block [var(value), cov(value, rate), var(rate)] at 3k..3k+2. */
  private readonly blocks = new Float64Array(12)
  private readonly params: KalmanParams

  constructor(box: Box, params: Partial<KalmanParams> = {}) {
    this.params = { ...DEFAULT_KALMAN, ...params }
    const [cx, cy, w, h] = toCxcywh(box)
    this.mean.set([cx, cy, w, h, 0, 0, 0, 0])
    const { measurementStd: m, initialVelocityStd: v } = this.params
    for (let k = 0; k < 4; k++) {
      const s = this.scale(k)
      this.blocks[3 * k] = (2 * m * s) ** 2
      this.blocks[3 * k + 1] = 0
      this.blocks[3 * k + 2] = (v * s) ** 2
    }
  }

  /**
   * Move the state `dt` seconds ahead. `holdSize` zeroes the size rates first (ByteTrack does this for
   * tracks that are not being updated, so a lost box does not grow or vanish while it coasts).
   */
  predict(dt: number, holdSize = false): void {
    if (!(dt >= 0) || !Number.isFinite(dt)) throw new Error(`kalman: bad time step ${dt}`)
    if (holdSize) this.mean[6] = this.mean[7] = 0
    if (dt === 0) return
    const q0 = this.params.accelerationStd ** 2
    const dt2 = dt * dt
    for (let k = 0; k < 4; k++) {
      const s2 = this.scale(k) ** 2
      const q = q0 * s2
      const i = 3 * k
      const a = this.blocks[i]!
      const b = this.blocks[i + 1]!
      const c = this.blocks[i + 2]!
      this.blocks[i] = a + 2 * dt * b + dt2 * c + (q * dt2 * dt) / 3
      this.blocks[i + 1] = b + dt * c + (q * dt2) / 2
      this.blocks[i + 2] = c + q * dt
      this.mean[k] = this.mean[k]! + this.mean[k + 4]! * dt
    }
    if (this.mean[2]! < MIN_SIZE) this.mean[2] = MIN_SIZE
    if (this.mean[3]! < MIN_SIZE) this.mean[3] = MIN_SIZE
  }

  /** Correct the state with a measured box. */
  update(box: Box): void {
    const z = toCxcywh(box)
    const m = this.params.measurementStd
    for (let k = 0; k < 4; k++) {
      const r = (m * this.scale(k)) ** 2
      const i = 3 * k
      const a = this.blocks[i]!
      const b = this.blocks[i + 1]!
      const c = this.blocks[i + 2]!
      const sInv = 1 / (a + r)
      const k0 = a * sInv
      const k1 = b * sInv
      const y = z[k]! - this.mean[k]!
      this.mean[k] = this.mean[k]! + k0 * y
      this.mean[k + 4] = this.mean[k + 4]! + k1 * y
      this.blocks[i] = (1 - k0) * a
      this.blocks[i + 1] = (1 - k0) * b
      this.blocks[i + 2] = c - k1 * b
    }
    if (this.mean[2]! < MIN_SIZE) this.mean[2] = MIN_SIZE
    if (this.mean[3]! < MIN_SIZE) this.mean[3] = MIN_SIZE
  }

  /**
   * Squared Mahalanobis distance of a measured box from the predicted measurement, over (cx, cy, w, h):
   * chi-square with 4 degrees of freedom for a box that fits the model (95%: 9.49, 99%: 13.28).
   */
  mahalanobis(box: Box): number {
    const z = toCxcywh(box)
    const m = this.params.measurementStd
    let d = 0
    for (let k = 0; k < 4; k++) d += (z[k]! - this.mean[k]!) ** 2 / (this.blocks[3 * k]! + (m * this.scale(k)) ** 2)
    return d
  }

  /** The filtered box, x1 y1 x2 y2. */
  box(): [number, number, number, number] {
    const [cx, cy, w, h] = this.mean as unknown as [number, number, number, number]
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]
  }

  /** Centre velocity, pixels per second. */
  velocity(): [number, number] {
    return [this.mean[4]!, this.mean[5]!]
  }

  /** The full 8x8 covariance, row-major (for inspection and tests). */
  covariance(): Float64Array {
    const P = new Float64Array(64)
    for (let k = 0; k < 4; k++) {
      const [a, b, c] = [this.blocks[3 * k]!, this.blocks[3 * k + 1]!, this.blocks[3 * k + 2]!]
      P[k * 8 + k] = a
      P[k * 8 + k + 4] = b
      P[(k + 4) * 8 + k] = b
      P[(k + 4) * 8 + k + 4] = c
    }
    return P
  }

  /** Size that scales the noise of axis k: width for cx and w, height for cy and h. */
  private scale(k: number): number {
    return Math.max(MIN_SIZE, k % 2 === 0 ? this.mean[2]! : this.mean[3]!)
  }
}

export function toCxcywh(box: Box): [number, number, number, number] {
  const [x1, y1, x2, y2] = box
  return [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1]
}
