/**
 * Face embedding: align the face to the 112x112 ArcFace reference from its five landmarks, run the
 * embedder, L2-normalise. Cosine similarity of two embeddings is then their dot product.
 */
import { ARCFACE_REFERENCE, similarityTransform, warpToTensor, type Affine } from './align.js'
import type { RgbFrame } from './image.js'
import type { Landmarks5 } from './landmarks.js'
import { checkInput, outputData, runModel, type LoadedModel } from './model.js'

export interface EmbedResult {
  /** Unit length. */
  embedding: Float32Array
  /** Frame -> aligned-crop transform used. */
  transform: Affine
  align_ms: number
  infer_ms: number
  /** Tensor wrapping and normalisation around the model. */
  post_ms: number
}

export class Embedder {
  private readonly input: Float32Array
  private readonly width: number
  private readonly height: number
  private readonly reference: ReadonlyArray<readonly [number, number]>

  constructor(private readonly model: LoadedModel) {
    checkInput(model, 'embedder')
    this.width = model.spec.input.width
    this.height = model.spec.input.height
    this.input = new Float32Array(3 * this.width * this.height)
    // the reference is for 112x112; scale it for an embedder of another input size
    this.reference = ARCFACE_REFERENCE.map(([x, y]) => [(x * this.width) / 112, (y * this.height) / 112] as const)
  }

  async embed(frame: RgbFrame, landmarks5: Landmarks5): Promise<EmbedResult> {
    const t0 = performance.now()
    const transform = similarityTransform(landmarks5, this.reference)
    warpToTensor(frame, transform, this.width, this.height, this.model.spec.input, this.input)
    const t1 = performance.now()
    const { outputs, ms } = await runModel(this.model, this.input, [1, 3, this.height, this.width])
    const embedding = l2normalise(outputData(this.model, outputs))
    return { embedding, transform, align_ms: t1 - t0, infer_ms: ms, post_ms: performance.now() - t1 - ms }
  }
}

/** A unit-length copy (a zero vector stays zero). */
export function l2normalise(v: ArrayLike<number>): Float32Array {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!
  const k = s > 0 ? 1 / Math.sqrt(s) : 0
  const out = new Float32Array(v.length)
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * k
  return out
}

/** Cosine similarity of two unit vectors (their dot product). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`cosine: lengths ${a.length} and ${b.length} differ`)
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}
