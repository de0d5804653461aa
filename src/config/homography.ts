/**
 * From image to floor (issue 5): each camera's calibration pairs give a plane homography.
 *
 * The pairs in the venue file (`cameras[].calibration.pairs`) are measured on a horizontal plane at
 * `calibration.plane_m` above the floor (default 1.6 m: head height), not on the floor itself. Each pair
 * says "a head at this image pixel stands over this floor position [x, y] m". So the homography maps the
 * image point of a face (the monitor uses the centre of the face box) straight to the floor position of
 * the person; there is no separate height correction to apply. Points far from head height (feet, a
 * seated person's face) are mapped with a parallax error that grows with their distance from the plane.
 *
 * Estimation is the normalised DLT (Hartley & Zisserman, alg. 4.2): both point sets are translated to
 * their centroid and scaled to a mean distance of sqrt(2), the 2N x 9 system A h = 0 is solved in the
 * least-squares sense (N > 4) by the eigenvector of A^T A with the smallest eigenvalue (a small Jacobi
 * eigen solver below; no dependency), and the result is de-normalised. The reprojection error is the
 * floor distance, in metres, between each pair's floor point and where its image point maps to.
 */
import type { Camera } from './schema/cameras.js'
import type { Venue } from './schema/venue.js'

export type Vec2 = [number, number]
export interface CalibrationPairInput {
  image: Vec2
  floor: Vec2
}

export interface Homography {
  /** Row-major 3x3, image [u, v, 1] -> floor [x w, y w, w]; scaled so that w averages 1 over the pairs. */
  H: Float64Array
  /** Row-major 3x3, floor -> image; scaled likewise over the pairs' floor points. */
  inverse: Float64Array
  /** Root-mean-square reprojection error on the floor, metres. */
  rms_m: number
  /** Largest reprojection error on the floor, metres. */
  max_m: number
  /** Reprojection error of each pair, in the order given, metres (Infinity if it maps to the horizon). */
  perPair_m: number[]
}

/** Below this, w is taken as zero: the point is on (or beyond) the horizon of the plane. */
export const HORIZON_EPSILON = 1e-9

/** Relative tolerance for collinearity and rank tests, on normalised coordinates. */
const DEGENERATE_TOL = 1e-6

/** Map [u, v] through a row-major 3x3 homography; null when it maps to infinity or behind the horizon. */
export function applyHomography(H: ArrayLike<number>, [u, v]: readonly [number, number]): Vec2 | null {
  const w = H[6]! * u + H[7]! * v + H[8]!
  if (!(w > HORIZON_EPSILON)) return null
  const x = (H[0]! * u + H[1]! * v + H[2]!) / w
  const y = (H[3]! * u + H[4]! * v + H[5]!) / w
  return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null
}

/** Estimate the image->floor homography of four or more pairs; throws an Error saying what is wrong. */
export function estimateHomography(pairs: readonly CalibrationPairInput[]): Homography {
  if (!Array.isArray(pairs) || pairs.length < 4) {
    throw new Error(`a homography needs at least 4 calibration pairs, got ${Array.isArray(pairs) ? pairs.length : 0}`)
  }
  const img: Vec2[] = []
  const flo: Vec2[] = []
  pairs.forEach((p, i) => {
    const nums = [p?.image?.[0], p?.image?.[1], p?.floor?.[0], p?.floor?.[1]]
    if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw new Error(`calibration pair ${i + 1} has a missing, NaN or infinite coordinate`)
    }
    img.push([p.image[0], p.image[1]])
    flo.push([p.floor[0], p.floor[1]])
  })

  const ni = normalise(img, 'image')
  const nf = normalise(flo, 'floor')
  if (pairs.length === 4) {
    checkNoThreeCollinear(ni.points, 'image')
    checkNoThreeCollinear(nf.points, 'floor')
  }

  // A^T A, accumulated row by row (rows of the 2N x 9 DLT system).
  const M = new Float64Array(81)
  const addRow = (r: number[]): void => {
    for (let a = 0; a < 9; a++) for (let b = 0; b < 9; b++) M[a * 9 + b]! += r[a]! * r[b]!
  }
  for (let i = 0; i < pairs.length; i++) {
    const [u, v] = ni.points[i]!
    const [x, y] = nf.points[i]!
    addRow([0, 0, 0, -u, -v, -1, y * u, y * v, y])
    addRow([u, v, 1, 0, 0, 0, -x * u, -x * v, -x])
  }
  const { values, vectors } = jacobiEigen(M, 9)
  const order = [...values.keys()].sort((a, b) => values[a]! - values[b]!)
  const smallest = order[0]!
  const second = order[1]!
  const largest = order[8]!
  if (values[second]! <= DEGENERATE_TOL * DEGENERATE_TOL * values[largest]!) {
    throw new Error('calibration pairs are degenerate: they do not determine a unique homography (too many collinear or repeated points)')
  }
  const Hn = new Float64Array(9)
  for (let k = 0; k < 9; k++) Hn[k] = vectors[k * 9 + smallest]!

  // H = Tf^-1 * Hn * Ti
  const detN = det3(Hn)
  if (!(Math.abs(detN) > 1e-8)) {
    throw new Error('calibration pairs are degenerate: the homography is singular (three of the points are collinear on one side only, or points repeat)')
  }
  const H = scaleToUnitW(mul3(mul3(nf.inverseT, Hn), ni.T), img)
  if (H === null) throw new Error('calibration pairs are inconsistent: the image points do not all lie on the same side of the horizon')
  const inverse = scaleToUnitW(inv3Adj(H), flo)
  if (inverse === null) throw new Error('calibration pairs are inconsistent: cannot invert the homography')

  const perPair_m = img.map((p, i) => {
    const q = applyHomography(H, p)
    if (q === null) return Infinity
    const f = flo[i]!
    return Math.hypot(q[0] - f[0], q[1] - f[1])
  })
  const rms_m = Math.sqrt(perPair_m.reduce((s, e) => s + e * e, 0) / perPair_m.length)
  const max_m = Math.max(...perPair_m)
  return { H, inverse, rms_m, max_m, perPair_m }
}

const cache = new WeakMap<object, Homography | Error>()

/** The homography of a camera's calibration, estimated once per camera config object (throws if degenerate). */
export function cameraHomography(camera: Pick<Camera, 'calibration'>): Homography {
  let h = cache.get(camera)
  if (h === undefined) {
    try {
      h = estimateHomography(camera.calibration.pairs)
    } catch (err) {
      h = err instanceof Error ? err : new Error(String(err))
    }
    cache.set(camera, h)
  }
  if (h instanceof Error) throw h
  return h
}

/**
 * Floor position [x, y] m of an image point of this camera (for a face: the centre of its box), through
 * the plane at the calibration's `plane_m`; null if the point is on or above the horizon of that plane.
 */
export function imageToFloor(camera: Pick<Camera, 'calibration'>, point: readonly [number, number]): Vec2 | null {
  return applyHomography(cameraHomography(camera).H, point)
}

/**
 * Floor position of a face box (its centre through `imageToFloor`), or null when the point has no
 * floor position or the calibration is degenerate (`venue check` reports that).
 */
export function boxToFloor(camera: Pick<Camera, 'calibration'>, box: readonly [number, number, number, number]): Vec2 | null {
  try {
    return imageToFloor(camera, [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
  } catch {
    return null
  }
}

export type CalibrationReportEntry =
  | { camera: string; pairs: number; rms_m: number; max_m: number; /** 1-based index of the pair with the largest error */ worstPair: number }
  | { camera: string; error: string }

/** Reprojection error of every camera's calibration, for `venue check`. */
export function calibrationReport(venue: Pick<Venue, 'cameras'>): CalibrationReportEntry[] {
  return venue.cameras.map((cam) => {
    try {
      const h = cameraHomography(cam)
      const worstPair = h.perPair_m.indexOf(h.max_m) + 1
      return { camera: cam.id, pairs: cam.calibration.pairs.length, rms_m: h.rms_m, max_m: h.max_m, worstPair }
    } catch (err) {
      return { camera: cam.id, error: err instanceof Error ? err.message : String(err) }
    }
  })
}

/** One line of the report, e.g. `cam-01: reprojection rms 0.03 m, max 0.06 m over 5 pairs`. */
export function formatCalibrationEntry(e: CalibrationReportEntry): string {
  if ('error' in e) return `${e.camera}: calibration error: ${e.error}`
  // centimetre-rounded survey points leave millimetres of error: show them, not "0.00 m"
  const len = (m: number) => (m < 0.1 ? `${(m * 1000).toFixed(1)} mm` : `${m.toFixed(2)} m`)
  const exact = e.pairs === 4 ? ' (4 pairs fit exactly: add pairs to measure the error)' : ''
  return `${e.camera}: reprojection rms ${len(e.rms_m)}, max ${len(e.max_m)} over ${e.pairs} pairs${exact}`
}

// ---------------------------------------------------------------------------------------------------

interface Normalised {
  points: Vec2[]
  /** 3x3 similarity taking original -> normalised. */
  T: Float64Array
  inverseT: Float64Array
}

function normalise(pts: Vec2[], side: 'image' | 'floor'): Normalised {
  const n = pts.length
  let cx = 0
  let cy = 0
  for (const [x, y] of pts) {
    cx += x / n
    cy += y / n
  }
  let meanDist = 0
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (const [x, y] of pts) {
    const dx = x - cx
    const dy = y - cy
    meanDist += Math.hypot(dx, dy) / n
    sxx += dx * dx
    syy += dy * dy
    sxy += dx * dy
  }
  if (!(meanDist > 0)) throw new Error(`calibration pairs are degenerate: all ${side} points are the same point`)
  const s = Math.SQRT2 / meanDist
  // Collinearity: the smaller eigenvalue of the scatter matrix, relative to the larger.
  const tr = sxx + syy
  const disc = Math.sqrt(Math.max(0, ((sxx - syy) / 2) ** 2 + sxy * sxy))
  const lmin = tr / 2 - disc
  const lmax = tr / 2 + disc
  if (!(lmin > DEGENERATE_TOL * lmax)) throw new Error(`calibration pairs are degenerate: the ${side} points are collinear`)
  const T = Float64Array.from([s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1])
  const inverseT = Float64Array.from([1 / s, 0, cx, 0, 1 / s, cy, 0, 0, 1])
  return { points: pts.map(([x, y]) => [s * (x - cx), s * (y - cy)]), T, inverseT }
}

function checkNoThreeCollinear(pts: Vec2[], side: 'image' | 'floor'): void {
  for (let a = 0; a < pts.length; a++)
    for (let b = a + 1; b < pts.length; b++)
      for (let c = b + 1; c < pts.length; c++) {
        const [ax, ay] = pts[a]!
        const [bx, by] = pts[b]!
        const [cx, cy] = pts[c]!
        const cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        if (Math.abs(cross) < 1e-6) {
          throw new Error(`calibration pairs are degenerate: ${side} points of pairs ${a + 1}, ${b + 1} and ${c + 1} are collinear (four pairs need no three in a line)`)
        }
      }
}

function mul3(A: ArrayLike<number>, B: ArrayLike<number>): Float64Array {
  const C = new Float64Array(9)
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) C[r * 3 + c] = A[r * 3]! * B[c]! + A[r * 3 + 1]! * B[3 + c]! + A[r * 3 + 2]! * B[6 + c]!
  return C
}

function det3(m: ArrayLike<number>): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  )
}

/** Inverse of a 3x3 (adjugate / determinant). */
function inv3Adj(m: ArrayLike<number>): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = Array.from(m) as [number, number, number, number, number, number, number, number, number]
  const adj = Float64Array.from([e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d])
  const det = a * adj[0]! + b * adj[3]! + c * adj[6]!
  for (let k = 0; k < 9; k++) adj[k]! /= det
  return adj
}

/** Scale (and sign) H so that w = h31 u + h32 v + h33 averages 1 over pts; null if the w's differ in sign. */
function scaleToUnitW(H: Float64Array, pts: Vec2[]): Float64Array | null {
  const ws = pts.map(([u, v]) => H[6]! * u + H[7]! * v + H[8]!)
  const mean = ws.reduce((s, w) => s + w, 0) / ws.length
  if (!Number.isFinite(mean) || mean === 0) return null
  if (ws.some((w) => w / mean <= 0)) return null
  return H.map((x) => x / mean)
}

/** Eigen-decomposition of a symmetric n x n matrix (row-major) by cyclic Jacobi rotations. Column k of `vectors` goes with values[k]. */
export function jacobiEigen(S: ArrayLike<number>, n: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(S)
  const V = new Float64Array(n * n)
  for (let i = 0; i < n; i++) V[i * n + i] = 1
  let scale = 0
  for (let i = 0; i < n * n; i++) scale += a[i]! * a[i]!
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2
    if (off <= 1e-30 * scale || off === 0) break
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!
        if (apq === 0) continue
        const app = a[p * n + p]!
        const aqq = a[q * n + q]!
        const theta = (aqq - app) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < n; k++) {
          // rotate columns p, q
          const akp = a[k * n + p]!
          const akq = a[k * n + q]!
          a[k * n + p] = c * akp - s * akq
          a[k * n + q] = s * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          // rotate rows p, q
          const apk = a[p * n + k]!
          const aqk = a[q * n + k]!
          a[p * n + k] = c * apk - s * aqk
          a[q * n + k] = s * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!
          const vkq = V[k * n + q]!
          V[k * n + p] = c * vkp - s * vkq
          V[k * n + q] = s * vkp + c * vkq
        }
      }
  }
  const values: number[] = []
  for (let i = 0; i < n; i++) values.push(a[i * n + i]!)
  return { values, vectors: V }
}
