/**
 * Face alignment: the least-squares similarity transform (rotation, uniform scale, translation; Umeyama
 * 1991 without reflection) from the five landmarks to the standard ArcFace 112x112 reference points,
 * and a bilinear warp written straight into the embedder's input tensor. Using all five points (not
 * the model package's three-point affine, which also shears) is what the embedder was trained on.
 */
import type { PixelLayout, RgbFrame } from './image.js'

/** ArcFace / InsightFace reference five points for a 112x112 crop. */
export const ARCFACE_REFERENCE: ReadonlyArray<readonly [number, number]> = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
]

/** Row-major 2x3 affine matrix [a, b, tx, c, d, ty]: x' = a x + b y + tx, y' = c x + d y + ty. */
export type Affine = [number, number, number, number, number, number]

/**
 * Least-squares similarity transform taking `src` points onto `dst` points (same length, >= 2).
 * Closed form of Umeyama's method in 2-D: with centred points, scale*cos = sum(p.q) / sum|p|^2 and
 * scale*sin = sum(p x q) / sum|p|^2.
 */
export function similarityTransform(src: ReadonlyArray<readonly [number, number]>, dst: ReadonlyArray<readonly [number, number]>): Affine {
  const n = src.length
  if (n < 2 || dst.length !== n) throw new Error(`similarityTransform needs >= 2 point pairs, got ${n} and ${dst.length}`)
  let spx = 0
  let spy = 0
  let sqx = 0
  let sqy = 0
  for (let i = 0; i < n; i++) {
    spx += src[i]![0]
    spy += src[i]![1]
    sqx += dst[i]![0]
    sqy += dst[i]![1]
  }
  const mpx = spx / n
  const mpy = spy / n
  const mqx = sqx / n
  const mqy = sqy / n
  let dot = 0
  let cross = 0
  let norm = 0
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - mpx
    const py = src[i]![1] - mpy
    const qx = dst[i]![0] - mqx
    const qy = dst[i]![1] - mqy
    dot += px * qx + py * qy
    cross += px * qy - py * qx
    norm += px * px + py * py
  }
  if (norm === 0) throw new Error('similarityTransform: source points coincide')
  const a = dot / norm
  const b = cross / norm
  return [a, -b, mqx - (a * mpx - b * mpy), b, a, mqy - (b * mpx + a * mpy)]
}

export function applyAffine(m: Affine, p: readonly [number, number]): [number, number] {
  return [m[0] * p[0] + m[1] * p[1] + m[2], m[3] * p[0] + m[4] * p[1] + m[5]]
}

export function invertAffine(m: Affine): Affine {
  const [a, b, tx, c, d, ty] = m
  const det = a * d - b * c
  if (det === 0) throw new Error('invertAffine: singular matrix')
  const ia = d / det
  const ib = -b / det
  const ic = -c / det
  const id = a / det
  return [ia, ib, -(ia * tx + ib * ty), ic, id, -(ic * tx + id * ty)]
}

/**
 * Warp `frame` by `m` (frame -> output pixel coordinates, pixel centres at integers, as OpenCV's
 * warpAffine) into a `width x height` CHW tensor in `layout`; outside the frame reads as black.
 */
export function warpToTensor(
  frame: RgbFrame,
  m: Affine,
  width: number,
  height: number,
  layout: PixelLayout,
  out: Float32Array = new Float32Array((layout.channels === 'gray' ? 1 : 3) * width * height),
): Float32Array {
  const { data, width: W, height: H } = frame
  const inv = invertAffine(m)
  const plane = width * height
  const pr = layout.channels === 'bgr' ? 2 * plane : 0
  const pb = layout.channels === 'bgr' ? 0 : 2 * plane
  const grey = layout.channels === 'gray'
  const k = 1 / layout.std
  const mean = layout.mean
  let o = 0
  for (let y = 0; y < height; y++) {
    // source position of (0, y), stepping (inv[0], inv[3]) per output x
    let sx = inv[1] * y + inv[2]
    let sy = inv[4] * y + inv[5]
    for (let x = 0; x < width; x++, o++, sx += inv[0], sy += inv[3]) {
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const fx = sx - x0
      const fy = sy - y0
      let r = 0
      let g = 0
      let b = 0
      // four taps; a tap outside the frame contributes black (0)
      for (let t = 0; t < 4; t++) {
        const xx = x0 + (t & 1)
        const yy = y0 + (t >> 1)
        if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue
        const w = ((t & 1) === 1 ? fx : 1 - fx) * ((t >> 1) === 1 ? fy : 1 - fy)
        const p = (yy * W + xx) * 3
        r += w * data[p]!
        g += w * data[p + 1]!
        b += w * data[p + 2]!
      }
      if (grey) {
        out[o] = (0.299 * r + 0.587 * g + 0.114 * b - mean) * k
      } else {
        out[o + pr] = (r - mean) * k
        out[o + plane] = (g - mean) * k
        out[o + pb] = (b - mean) * k
      }
    }
  }
  return out
}

/** The aligned crop as an RGB frame (for snapshots and debugging). */
export function warpToFrame(frame: RgbFrame, m: Affine, width = 112, height = 112): RgbFrame {
  const t = warpToTensor(frame, m, width, height, { channels: 'rgb', mean: 0, std: 1 })
  const data = new Uint8Array(width * height * 3)
  const plane = width * height
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.max(0, Math.min(255, Math.round(t[c * plane + i]!)))
  }
  return { data, width, height }
}
