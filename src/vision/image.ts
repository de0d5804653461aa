/**
 * Frames and pixels: the RGB frame type, decoding stills with sharp, and the one resampler every stage
 * uses to go from a frame region straight into a model's Float32 input tensor (CHW, normalised in the
 * same pass, no intermediate image). sharp is kept for files (decode, EXIF orientation) only: on a raw
 * camera frame it costs more than this loop and runs single-threaded here anyway.
 */
import sharp from 'sharp'

/** A raw frame: RGB interleaved, row-major, no padding; `data.length === width * height * 3`. */
export interface RgbFrame {
  data: Uint8Array
  width: number
  height: number
}

/** A rectangle in frame pixels (may reach outside the frame; the outside reads as `fill`). */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** How a model wants its pixels: channel order and `(value - mean) / std` with value in 0..255. */
export interface PixelLayout {
  channels: 'rgb' | 'bgr' | 'gray'
  mean: number
  std: number
}

export function assertFrame(frame: RgbFrame): void {
  const { data, width, height } = frame
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`frame size must be positive integers, got ${width}x${height}`)
  }
  if (data.length !== width * height * 3) {
    throw new Error(`frame data has ${data.length} bytes; ${width}x${height} RGB needs ${width * height * 3}`)
  }
}

/** Decode an image file to RGB with EXIF orientation applied; errors name the file. */
export async function decodeFile(path: string): Promise<RgbFrame> {
  try {
    const { data, info } = await sharp(path, { failOn: 'error' })
      .rotate()
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`)
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }
  } catch (err) {
    throw new Error(`cannot decode image ${path}: ${(err as Error).message}`, { cause: err })
  }
}

/** Encode a frame (or a region of it) as JPEG, e.g. for evidence snapshots. */
export async function encodeJpeg(frame: RgbFrame, quality = 85, region?: Rect): Promise<Buffer> {
  assertFrame(frame)
  let img = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
  if (region !== undefined) {
    const r = clampRect(region, frame.width, frame.height)
    img = img.extract({ left: r.x, top: r.y, width: r.width, height: r.height })
  }
  return img.jpeg({ quality }).toBuffer()
}

/** Integer rectangle inside a width x height image (at least 1x1). */
export function clampRect(r: Rect, width: number, height: number): Rect {
  const x = Math.min(Math.max(0, Math.floor(r.x)), width - 1)
  const y = Math.min(Math.max(0, Math.floor(r.y)), height - 1)
  const x2 = Math.min(width, Math.max(x + 1, Math.ceil(r.x + r.width)))
  const y2 = Math.min(height, Math.max(y + 1, Math.ceil(r.y + r.height)))
  return { x, y, width: x2 - x, height: y2 - y }
}

/** Square region of side `scale * max(w, h)` centred on a box `[x1, y1, x2, y2]`. */
export function squareAround(box: readonly [number, number, number, number], scale: number): Rect {
  const [x1, y1, x2, y2] = box
  const side = Math.max(x2 - x1, y2 - y1) * scale
  return { x: (x1 + x2) / 2 - side / 2, y: (y1 + y2) / 2 - side / 2, width: side, height: side }
}

/** Two source taps per output along one axis: indices (already times the stride), weights, weight inside. */
interface AxisTaps {
  i0: Int32Array
  i1: Int32Array
  w0: Float32Array
  w1: Float32Array
  inside: Float32Array
}

/**
 * Taps for `n` outputs from the source span [start, start + n * step) over `size` source pixels.
 * 'bilinear' samples at each output pixel's centre (OpenCV's INTER_LINEAR, which is what these models
 * were trained on); 'box2' averages two samples at the quarter points of each output's footprint when
 * downscaling (a cheap anti-alias; bilinear when upscaling). Taps outside the image get weight 0 and
 * their share goes to the fill value.
 */
function axisTaps(n: number, start: number, step: number, size: number, stride: number, mode: Resample): AxisTaps {
  const t: AxisTaps = { i0: new Int32Array(n), i1: new Int32Array(n), w0: new Float32Array(n), w1: new Float32Array(n), inside: new Float32Array(n) }
  const set = (which: 0 | 1, i: number, j: number, w: number): void => {
    if (j < 0 || j >= size || w <= 0) return
    ;(which === 0 ? t.i0 : t.i1)[i] = j * stride
    ;(which === 0 ? t.w0 : t.w1)[i] = w
    t.inside[i] = t.inside[i]! + w
  }
  for (let i = 0; i < n; i++) {
    const a = start + i * step
    if (mode === 'box2' && step > 2) {
      set(0, i, Math.floor(a + step * 0.25), 0.5)
      set(1, i, Math.floor(a + step * 0.75), 0.5)
    } else {
      const c = a + step / 2 - 0.5
      const j0 = Math.floor(c)
      const f = c - j0
      // within half a pixel of the image's edge still reads the edge pixel (replicate border)
      set(0, i, c > -0.5 && j0 < 0 ? 0 : j0, 1 - f)
      set(1, i, c < size - 0.5 && j0 + 1 >= size ? size - 1 : j0 + 1, f)
    }
  }
  return t
}

export type Resample = 'bilinear' | 'box2'

export interface SampleOptions {
  /** Pixel value (0..255, before normalisation) for the parts of `region` outside the frame. Default 0. */
  fill?: number
  /** Default 'bilinear'. */
  resample?: Resample
  /** Where to write: a tensor buffer reused between calls. */
  out?: Float32Array
}

/**
 * Resample `region` of `frame` to `outW x outH` and write it into a CHW Float32 tensor in the given
 * layout, normalising on the way: one pass over the output, four source pixels read per output pixel
 * (the cost does not grow with the frame's size).
 */
export function sampleToTensor(
  frame: RgbFrame,
  region: Rect,
  outW: number,
  outH: number,
  layout: PixelLayout,
  opts: SampleOptions = {},
): Float32Array {
  const { data, width, height } = frame
  const planes = layout.channels === 'gray' ? 1 : 3
  const plane = outW * outH
  const out = opts.out ?? new Float32Array(planes * plane)
  if (out.length < planes * plane) throw new Error('tensor buffer too small')
  const mode = opts.resample ?? 'bilinear'
  const fill = opts.fill ?? 0
  const tx = axisTaps(outW, region.x, region.width / outW, width, 3, mode)
  const ty = axisTaps(outH, region.y, region.height / outH, height, width * 3, mode)
  const inv = 1 / layout.std
  const mean = layout.mean
  // planes the source's R and B go to (G is always the middle plane)
  const pr = layout.channels === 'bgr' ? 2 * plane : 0
  const pb = layout.channels === 'bgr' ? 0 : 2 * plane
  const grey = planes === 1
  const { i0: xi0, i1: xi1, w0: xw0, w1: xw1, inside: xin } = tx
  for (let y = 0; y < outH; y++) {
    const r0 = ty.i0[y]!
    const r1 = ty.i1[y]!
    const v0 = ty.w0[y]!
    const v1 = ty.w1[y]!
    const inY = ty.inside[y]!
    let o = y * outW
    for (let x = 0; x < outW; x++, o++) {
      const u0 = xw0[x]!
      const u1 = xw1[x]!
      const a = r0 + xi0[x]!
      const b = r0 + xi1[x]!
      const c = r1 + xi0[x]!
      const d = r1 + xi1[x]!
      const wa = v0 * u0
      const wb = v0 * u1
      const wc = v1 * u0
      const wd = v1 * u1
      const base = fill * (1 - inY * xin[x]!) - mean
      const r = wa * data[a]! + wb * data[b]! + wc * data[c]! + wd * data[d]! + base
      const g = wa * data[a + 1]! + wb * data[b + 1]! + wc * data[c + 1]! + wd * data[d + 1]! + base
      const bl = wa * data[a + 2]! + wb * data[b + 2]! + wc * data[c + 2]! + wd * data[d + 2]! + base
      if (grey) {
        // ITU-R BT.601 luma, as OpenCV's RGB2GRAY (the weights sum to 1, so `base` passes through)
        out[o] = (0.299 * r + 0.587 * g + 0.114 * bl) * inv
      } else {
        out[o + pr] = r * inv
        out[o + plane] = g * inv
        out[o + pb] = bl * inv
      }
    }
  }
  return out
}
