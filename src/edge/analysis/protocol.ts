/** Messages between the edge's main thread and its analysis workers (one face pipeline each). */
import type { Box, Landmarks5, Quality } from '../../vision/index.js'

/** What the tracker and the recognition policy need of a detected face. */
export interface DetectedFace {
  box: Box
  score: number
  landmarks5: Landmarks5
  quality: Quality
}

export interface Recognised {
  embedding: Float32Array
  liveness: number
}

export type Request =
  | { type: 'detect'; id: number; data: Uint8Array; width: number; height: number; minQuality: number; minFaceSize: number }
  | { type: 'recognise'; id: number; faces: Array<{ box: Box; landmarks5: Landmarks5 }> }
  | { type: 'done'; id: number }

export type Reply =
  | { type: 'ready' }
  | { type: 'faces'; id: number; faces: DetectedFace[]; infer_ms: number }
  | { type: 'recognised'; id: number; results: Recognised[]; infer_ms: number }
  | { type: 'error'; id: number; message: string }
