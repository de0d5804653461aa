/**
 * The face pipeline: detect -> landmarks -> quality gate -> align + embed, liveness. Faces that fail the
 * gate are returned (quality.passed = false) without embedding or liveness, so the caller (the edge's
 * tracker) can still follow them. One session per model, reused; input buffers are reused too, so calls
 * on one pipeline are serialised (concurrent `analyse` calls queue up).
 */
import { Detector, type DetectOptions } from './detect.js'
import { Embedder } from './embed.js'
import { assertFrame, decodeFile, type RgbFrame } from './image.js'
import { LandmarkModel, type Landmarks5 } from './landmarks.js'
import { LivenessModel } from './liveness.js'
import type { LoadedModels } from './model.js'
import { closeModels, openModels } from './models/open.js'
import type { Box } from './nms.js'
import { assessQuality, type Quality, type QualityOptions } from './quality.js'

export interface AnalyseOptions extends DetectOptions, QualityOptions {
  /** Embed the faces that pass the gate. Default true. */
  embed?: boolean
  /** Score liveness of the faces that pass the gate. Default true. */
  liveness?: boolean
}

/** Milliseconds per stage, pre/post-processing included; `detect_ms` is the frame's (shared by its faces). */
export interface StageTimings {
  detect_ms: number
  landmarks_ms: number
  align_ms: number
  embed_ms: number
  liveness_ms: number
}

export interface Face {
  /** x1, y1, x2, y2 in frame pixels. */
  box: Box
  /** Detector score, 0..1. */
  score: number
  /** Left eye, right eye, nose tip, left and right mouth corner, frame pixels. */
  landmarks5: Landmarks5
  /** The 68 points, x, y interleaved, frame pixels. */
  landmarks68: Float32Array
  quality: Quality
  /** L2-normalised; only for faces that passed the gate. */
  embedding?: Float32Array
  /** P(real) 0..1; only for faces that passed the gate. */
  liveness?: number
  timings: StageTimings
}

export interface AnalyseResult {
  width: number
  height: number
  /** Best detector score first. */
  faces: Face[]
  timings: {
    /** Wall time of the whole call (file decoding excluded). */
    total_ms: number
    /** `session.run` time summed over every model call. */
    inference_ms: number
    /** Pure inference per model, summed over faces. */
    inference: { detect_ms: number; landmarks_ms: number; embed_ms: number; liveness_ms: number }
    /** Stage times (pre/post-processing included) summed over faces. */
    stages: StageTimings
    /** Decoding the file, for `analyseFile`. */
    decode_ms?: number
  }
}

export class FacePipeline {
  readonly detector: Detector
  readonly landmarker: LandmarkModel
  readonly embedder: Embedder
  readonly liveness: LivenessModel
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly models: LoadedModels,
    readonly defaults: AnalyseOptions = {},
  ) {
    this.detector = new Detector(models.detector)
    this.landmarker = new LandmarkModel(models.landmarks)
    this.embedder = new Embedder(models.embedder)
    this.liveness = new LivenessModel(models.liveness)
  }

  /** Open the installed model pack (hash-checked, see models/open.ts) and build a pipeline on it. */
  static async open(opts: Parameters<typeof openModels>[0] & { defaults?: AnalyseOptions } = {}): Promise<FacePipeline> {
    return new FacePipeline(await openModels(opts), opts.defaults)
  }

  /** Release the ORT sessions. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined)
    await closeModels(this.models)
  }

  /** Decode an image file (EXIF orientation applied) and analyse it; errors name the file. */
  async analyseFile(path: string, opts: AnalyseOptions = {}): Promise<AnalyseResult> {
    const t0 = performance.now()
    const frame = await decodeFile(path)
    const decode_ms = performance.now() - t0
    const result = await this.analyse(frame, opts)
    result.timings.decode_ms = decode_ms
    return result
  }

  analyse(frame: RgbFrame, opts: AnalyseOptions = {}): Promise<AnalyseResult> {
    assertFrame(frame)
    const run = this.queue.then(() => this.run(frame, { ...this.defaults, ...opts }))
    this.queue = run.catch(() => undefined)
    return run
  }

  private async run(frame: RgbFrame, opts: AnalyseOptions): Promise<AnalyseResult> {
    const start = performance.now()
    const inference = { detect_ms: 0, landmarks_ms: 0, embed_ms: 0, liveness_ms: 0 }
    const stages: StageTimings = { detect_ms: 0, landmarks_ms: 0, align_ms: 0, embed_ms: 0, liveness_ms: 0 }
    const { detections, time } = await this.detector.detect(frame, opts)
    inference.detect_ms = time.infer_ms
    stages.detect_ms = time.infer_ms + time.pre_post_ms
    const faces: Face[] = []
    for (const det of detections) {
      const timings: StageTimings = { detect_ms: stages.detect_ms, landmarks_ms: 0, align_ms: 0, embed_ms: 0, liveness_ms: 0 }
      const t0 = performance.now()
      const lm = await this.landmarker.landmarks(frame, det.box)
      const quality = assessQuality(det.box, lm.landmarks5, lm.grey, this.models.landmarks.spec.input.width, opts)
      timings.landmarks_ms = performance.now() - t0
      inference.landmarks_ms += lm.infer_ms
      const face: Face = { box: det.box, score: det.score, landmarks5: lm.landmarks5, landmarks68: lm.points68, quality, timings }
      if (quality.passed && opts.embed !== false) {
        const e = await this.embedder.embed(frame, lm.landmarks5)
        face.embedding = e.embedding
        timings.align_ms = e.align_ms
        timings.embed_ms = e.infer_ms + e.post_ms
        inference.embed_ms += e.infer_ms
      }
      if (quality.passed && opts.liveness !== false) {
        const l = await this.liveness.score(frame, det.box)
        face.liveness = l.score
        timings.liveness_ms = l.infer_ms + l.pre_post_ms
        inference.liveness_ms += l.infer_ms
      }
      stages.landmarks_ms += timings.landmarks_ms
      stages.align_ms += timings.align_ms
      stages.embed_ms += timings.embed_ms
      stages.liveness_ms += timings.liveness_ms
      faces.push(face)
    }
    const inference_ms = inference.detect_ms + inference.landmarks_ms + inference.embed_ms + inference.liveness_ms
    return {
      width: frame.width,
      height: frame.height,
      faces,
      timings: { total_ms: performance.now() - start, inference_ms, inference, stages },
    }
  }
}
