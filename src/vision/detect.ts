/**
 * Face detection with the pack's UltraFace-style detector (320x240 input). Its outputs are final:
 * `scores` [1, N, 2] already softmaxed (column 1 = face) and `boxes` [1, N, 4] already decoded to
 * x1, y1, x2, y2 in 0..1 of the input; the prior-box decoding in the model package's JS is dead code
 * and decoding again breaks the boxes. We threshold, run our own NMS and map back to frame pixels.
 */
import { assertFrame, sampleToTensor, type Rect, type Resample, type RgbFrame } from './image.js'
import { checkInput, outputData, runModel, type LoadedModel } from './model.js'
import { nms, type Box } from './nms.js'

export interface Detection {
  /** x1, y1, x2, y2 in frame pixels, clipped to the frame. */
  box: Box
  score: number
}

export interface DetectOptions {
  /** Minimum face score (0..1). Default 0.7. */
  scoreThreshold?: number
  /** NMS IoU threshold. Default 0.4. */
  iouThreshold?: number
  /** Keep at most this many faces, best first. Default 50. */
  maxFaces?: number
  /**
   * How a frame of another aspect ratio meets the 4:3 input: 'stretch' (default) fills the input;
   * 'letterbox' pads with mid-grey and keeps faces undistorted. On a 1080p frame stretch shrinks rows by
   * 4.5 instead of 6, and finds more small faces: the 38 test photos pasted into a 1920x1080 frame
   * with a 50 px face are found 33 times stretched, 22 letterboxed (60 px: 38 vs 31); letterboxed boxes
   * fit slightly better (IoU 0.80 vs 0.78) and identities separate the same.
   */
  fit?: 'stretch' | 'letterbox'
  /** Downscale filter for the detector input. Default 'box2': 40 px faces in 1080p frames, 19/38 found vs 15/38 bilinear. */
  resample?: Resample
}

export interface StageTime {
  /** Everything but the model: resampling, decoding, NMS. */
  pre_post_ms: number
  /** `session.run` alone. */
  infer_ms: number
}

export class Detector {
  private readonly input: Float32Array
  private readonly width: number
  private readonly height: number

  constructor(private readonly model: LoadedModel) {
    checkInput(model, 'detector')
    this.width = model.spec.input.width
    this.height = model.spec.input.height
    this.input = new Float32Array(3 * this.width * this.height)
  }

  /** The frame region mapped onto the model input. */
  inputRegion(frame: { width: number; height: number }, fit: 'letterbox' | 'stretch'): Rect {
    const { width: W, height: H } = frame
    if (fit === 'stretch') return { x: 0, y: 0, width: W, height: H }
    const s = Math.max(W / this.width, H / this.height)
    return { x: (W - this.width * s) / 2, y: (H - this.height * s) / 2, width: this.width * s, height: this.height * s }
  }

  async detect(frame: RgbFrame, opts: DetectOptions = {}): Promise<{ detections: Detection[]; time: StageTime }> {
    assertFrame(frame)
    const t0 = performance.now()
    const { spec } = this.model
    const region = this.inputRegion(frame, opts.fit ?? 'stretch')
    // padding is the normalisation's zero (mid-grey), the least surprising value for the network
    sampleToTensor(frame, region, this.width, this.height, spec.input, {
      out: this.input,
      fill: spec.input.mean,
      resample: opts.resample ?? 'box2',
    })
    const { outputs, ms } = await runModel(this.model, this.input, [1, 3, this.height, this.width])
    const scores = outputData(this.model, outputs, spec.outputs.scores ?? 'scores')
    const boxes = outputData(this.model, outputs, spec.outputs.boxes ?? 'boxes')
    const detections = decodeDetections(scores, boxes, region, frame, opts)
    const t2 = performance.now()
    return { detections, time: { infer_ms: ms, pre_post_ms: t2 - t0 - ms } }
  }
}

/** Threshold, NMS and map the model's normalised boxes back to frame pixels. */
export function decodeDetections(
  scores: Float32Array,
  boxes: Float32Array,
  region: Rect,
  frame: { width: number; height: number },
  opts: DetectOptions = {},
): Detection[] {
  const threshold = opts.scoreThreshold ?? 0.7
  const n = Math.min(scores.length / 2, boxes.length / 4)
  const cand: Box[] = []
  const candScores: number[] = []
  for (let i = 0; i < n; i++) {
    const s = scores[i * 2 + 1]!
    if (!(s >= threshold)) continue
    const x1 = clamp(region.x + boxes[i * 4]! * region.width, 0, frame.width)
    const y1 = clamp(region.y + boxes[i * 4 + 1]! * region.height, 0, frame.height)
    const x2 = clamp(region.x + boxes[i * 4 + 2]! * region.width, 0, frame.width)
    const y2 = clamp(region.y + boxes[i * 4 + 3]! * region.height, 0, frame.height)
    if (x2 - x1 < 1 || y2 - y1 < 1) continue
    cand.push([x1, y1, x2, y2])
    candScores.push(s)
  }
  const keep = nms(cand, candScores, opts.iouThreshold ?? 0.4, opts.maxFaces ?? 50)
  return keep.map((i) => ({ box: cand[i]!, score: candScores[i]! }))
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v)
