/**
 * 68-point facial landmarks (iBUG 300-W order) from the pack's 64x64 grey model, and the five points
 * alignment uses. The model sees a square crop centred on the detector's box (side = the box's longer
 * side); it returns x, y pairs in units of that crop (0..1: measured, the chin lands at y ~ 1.0 and no
 * value leaves -0.1..1.1 on the test photos), which we map back to frame pixels.
 */
import { squareAround, sampleToTensor, type RgbFrame } from './image.js'
import { checkInput, outputData, runModel, type LoadedModel } from './model.js'
import type { Box } from './nms.js'

export type Point = [number, number]
/** Left eye, right eye (as seen in the image), nose tip, left and right mouth corner, in frame pixels. */
export type Landmarks5 = [Point, Point, Point, Point, Point]

export interface LandmarkResult {
  /** 68 points, x, y interleaved, in frame pixels. */
  points68: Float32Array
  landmarks5: Landmarks5
  /** The grey 64x64 model input (v / 256): reused by the quality gate's blur measure. */
  grey: Float32Array
  infer_ms: number
  pre_post_ms: number
}

const mean = (pts: Float32Array, idx: readonly number[]): Point => {
  let x = 0
  let y = 0
  for (const i of idx) {
    x += pts[i * 2]!
    y += pts[i * 2 + 1]!
  }
  return [x / idx.length, y / idx.length]
}

/**
 * Five points from the 68: eye centres (mean of each eye's six contour points), nose tip (30), mouth
 * corners (outer corner 48 / 54 averaged with the inner corner 60 / 64, as the model package does).
 */
export function fivePoints(points68: Float32Array): Landmarks5 {
  return [
    mean(points68, [36, 37, 38, 39, 40, 41]),
    mean(points68, [42, 43, 44, 45, 46, 47]),
    mean(points68, [30]),
    mean(points68, [48, 60]),
    mean(points68, [54, 64]),
  ]
}

export class LandmarkModel {
  private readonly input: Float32Array
  private readonly size: number

  /** @param cropScale side of the square crop relative to the box's longer side (1 = the box). */
  constructor(
    private readonly model: LoadedModel,
    private readonly cropScale = 1,
  ) {
    checkInput(model, 'landmarks')
    if (model.spec.input.width !== model.spec.input.height) throw new Error('landmark model input must be square')
    this.size = model.spec.input.width
    this.input = new Float32Array(this.size * this.size)
  }

  async landmarks(frame: RgbFrame, box: Box): Promise<LandmarkResult> {
    const t0 = performance.now()
    const crop = squareAround(box, this.cropScale)
    const { spec } = this.model
    sampleToTensor(frame, crop, this.size, this.size, spec.input, { out: this.input })
    const grey = this.input.slice()
    const { outputs, ms } = await runModel(this.model, this.input, [1, 1, this.size, this.size])
    const raw = outputData(this.model, outputs)
    if (raw.length !== 136) throw new Error(`landmark model gave ${raw.length} values, expected 136`)
    const points68 = new Float32Array(136)
    for (let i = 0; i < 68; i++) {
      points68[i * 2] = crop.x + raw[i * 2]! * crop.width
      points68[i * 2 + 1] = crop.y + raw[i * 2 + 1]! * crop.height
    }
    const landmarks5 = fivePoints(points68)
    return { points68, landmarks5, grey, infer_ms: ms, pre_post_ms: performance.now() - t0 - ms }
  }
}
