/**
 * The few numbers camera health needs from a frame, read straight from its RGB bytes at a sparse grid
 * of points (64x36 by default: ~2,300 points whatever the frame size; ~35 µs warm, a few hundred µs
 * on a frame fresh from the pipe, mostly cache misses): a grey thumbnail
 * (one pixel per point, not an average, so sensor noise survives and a live still scene is told from a
 * frozen one), its mean and spread, and a sharpness figure (full-resolution gradient at the same points,
 * over mean brightness so it does not move with exposure).
 */

export interface RgbImage {
  data: Uint8Array
  width: number
  height: number
}

export interface Sample {
  /** Grey levels 0..255, row-major, `cols * rows`. */
  grey: Float32Array
  mean: number
  std: number
  /** Mean |dx| + |dy| of grey at full resolution at the sample points, over max(mean, 16). */
  sharpness: number
}

/** Grey from RGB (BT.601 weights in 8-bit fixed point). */
const grey = (d: Uint8Array, o: number): number => (77 * d[o]! + 150 * d[o + 1]! + 29 * d[o + 2]!) >> 8

export class Thumbnailer {
  private xs = new Int32Array(0)
  private ys = new Int32Array(0)
  private forWidth = 0
  private forHeight = 0

  constructor(readonly cols = 64, readonly rows = 36) {}

  sample(img: RgbImage, out?: Float32Array): Sample {
    const { width, height, data } = img
    if (data.length < width * height * 3) throw new Error(`frame of ${width}x${height} needs ${width * height * 3} bytes, has ${data.length}`)
    if (width < 2 || height < 2) throw new Error(`frame too small for health: ${width}x${height}`)
    if (width !== this.forWidth || height !== this.forHeight) this.grid(width, height)
    const n = this.cols * this.rows
    const g = out ?? new Float32Array(n)
    const stride = width * 3
    let sum = 0
    let sumSq = 0
    let grad = 0
    let k = 0
    for (let r = 0; r < this.rows; r++) {
      const row = this.ys[r]! * stride
      for (let c = 0; c < this.cols; c++) {
        const o = row + this.xs[c]! * 3
        const v = grey(data, o)
        g[k++] = v
        sum += v
        sumSq += v * v
        grad += Math.abs(grey(data, o + 3) - v) + Math.abs(grey(data, o + stride) - v)
      }
    }
    const mean = sum / n
    return { grey: g, mean, std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), sharpness: grad / n / Math.max(mean, 16) }
  }

  /** Sample points at cell centres, kept one pixel from the right and bottom edges for the gradient. */
  private grid(width: number, height: number): void {
    this.xs = Int32Array.from({ length: this.cols }, (_, i) => Math.min(width - 2, Math.floor(((i + 0.5) * width) / this.cols)))
    this.ys = Int32Array.from({ length: this.rows }, (_, i) => Math.min(height - 2, Math.floor(((i + 0.5) * height) / this.rows)))
    this.forWidth = width
    this.forHeight = height
  }
}

/** Mean absolute difference of two thumbnails. */
export function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!)
  return s / a.length
}

/**
 * Share of thumbnail points, 0..1, where two pictures agree once each is normalised to zero mean and
 * unit spread (so brighter or dimmer light changes nothing): |za - zb| < `tolerance`. Robust to
 * people: they change only the points they cover, where a correlation would fall with their
 * contrast. The same view scores near 1, an unrelated one about 0.3, a flat picture (spread below
 * `flat` grey levels: a covered lens) 0.
 */
export function agreement(a: Float32Array, b: Float32Array, tolerance = 0.5, flat = 3): number {
  const sa = spread(a)
  const sb = spread(b)
  if (sa.std < flat || sb.std < flat) return 0
  let agree = 0
  for (let i = 0; i < a.length; i++) {
    if (Math.abs((a[i]! - sa.mean) / sa.std - (b[i]! - sb.mean) / sb.std) < tolerance) agree++
  }
  return agree / a.length
}

function spread(v: Float32Array): { mean: number; std: number } {
  let s = 0
  let ss = 0
  for (let i = 0; i < v.length; i++) {
    s += v[i]!
    ss += v[i]! * v[i]!
  }
  const mean = s / v.length
  return { mean, std: Math.sqrt(Math.max(0, ss / v.length - mean * mean)) }
}
