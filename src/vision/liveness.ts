/**
 * Passive liveness (presentation-attack) score from the pack's 128x128 model, a MiniFASNet-style
 * classifier (as in Silent-Face-Anti-Spoofing): input is a square crop of the face box scaled 2.7x around
 * its centre, raw 0..255 values; output is 3 logits, softmaxed here; class 0 is "real" (it is the argmax
 * on all 38 real photos of ../shared/faces), so the score is P(real).
 *
 * Crop: as in that project's CropImage, the scale is reduced so the crop fits the frame and the crop is
 * shifted inside it, never padded. Measured on the 38 photos (portraits: every 2.7x crop leaves the
 * image): padding with black gives P(real) > 0.5 on only 15/38 (BGR), fitting gives 38/38.
 *
 * Channel order is BGR (spec.ts): the model package feeds RGB but documents nothing; on the 38 real
 * photos BGR gives P(real) > 0.5 on 38/38 (min 0.88, mean 0.996), RGB on 36/38 (min 0.02, mean 0.92).
 * The same holds for the embedder (BGR better on 45 of 49 same-person pairs), which fits a Python
 * original fed by OpenCV (BGR) and ported to canvas pixels (RGB) without swapping.
 */
import { sampleToTensor, type Rect, type RgbFrame } from './image.js'
import { checkInput, outputData, runModel, type LoadedModel } from './model.js'
import type { Box } from './nms.js'

export interface LivenessResult {
  /** P(real), 0..1. */
  score: number
  /** All class probabilities (class 0 = real). */
  probs: Float32Array
  infer_ms: number
  pre_post_ms: number
}

export const LIVENESS_CROP_SCALE = 2.7
export const REAL_CLASS = 0

export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!)
  const out = new Float32Array(logits.length)
  let sum = 0
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i]! - max)
    sum += out[i]!
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum
  return out
}

/**
 * Square crop of side `scale * max(box w, h)` centred on the box; the scale shrinks until the crop fits
 * inside the frame, then the crop is shifted to lie inside it.
 */
export function fitSquareCrop(box: Box, scale: number, width: number, height: number): Rect {
  const side0 = Math.max(box[2] - box[0], box[3] - box[1], 1e-6)
  const side = side0 * Math.min(scale, (width - 1) / side0, (height - 1) / side0)
  const x = Math.min(Math.max(0, (box[0] + box[2]) / 2 - side / 2), width - 1 - side)
  const y = Math.min(Math.max(0, (box[1] + box[3]) / 2 - side / 2), height - 1 - side)
  return { x: Math.max(0, x), y: Math.max(0, y), width: side, height: side }
}

export class LivenessModel {
  private readonly input: Float32Array
  private readonly width: number
  private readonly height: number

  constructor(
    private readonly model: LoadedModel,
    private readonly cropScale = LIVENESS_CROP_SCALE,
  ) {
    checkInput(model, 'liveness')
    this.width = model.spec.input.width
    this.height = model.spec.input.height
    this.input = new Float32Array(3 * this.width * this.height)
  }

  async score(frame: RgbFrame, box: Box): Promise<LivenessResult> {
    const t0 = performance.now()
    const crop = fitSquareCrop(box, this.cropScale, frame.width, frame.height)
    sampleToTensor(frame, crop, this.width, this.height, this.model.spec.input, { out: this.input })
    const { outputs, ms } = await runModel(this.model, this.input, [1, 3, this.height, this.width])
    const probs = softmax(outputData(this.model, outputs))
    return { score: probs[REAL_CLASS] ?? 0, probs, infer_ms: ms, pre_post_ms: performance.now() - t0 - ms }
  }
}
