/**
 * What a model file is and how to feed it. The default pack's values were measured on its files
 * (issue 3); an operator's own weights (a licensed detector, embedder or liveness model) are described
 * the same way in the venue file, so the pack is a default, not a lock-in.
 */
export type ModelRole = 'detector' | 'landmarks' | 'embedder' | 'liveness'

export interface ModelSpec {
  role: ModelRole
  /** File name inside the pack's cache folder, or an absolute path for operator weights. */
  file: string
  /** Lower-case hex sha256 of the file; checked before the model is loaded. */
  sha256: string
  input: {
    width: number
    height: number
    /** Channel order the model expects; 'gray' is one channel. */
    channels: 'rgb' | 'bgr' | 'gray'
    /** Per-channel normalisation: (value - mean) / std, value in 0..255. */
    mean: number
    std: number
  }
  /** Names of the model's outputs where they matter (detector: scores, boxes). */
  outputs: Readonly<Record<string, string>>
}

/** The default pack: ONNX files shipped in the npm registry package faceplugin-face-recognition-js@0.0.1 (model/). */
export const DEFAULT_PACK = {
  id: 'faceplugin-0.0.1',
  npmSpec: 'faceplugin-face-recognition-js@0.0.1',
  /** Folder of the model files inside the package tarball. */
  folder: 'package/model',
} as const

export const DEFAULT_SPECS: Readonly<Record<ModelRole, ModelSpec>> = {
  detector: {
    role: 'detector',
    file: 'fr_detect.onnx',
    sha256: '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
    // scores [1,4420,2] already softmaxed, boxes [1,4420,4] already decoded x1,y1,x2,y2 in 0..1
    input: { width: 320, height: 240, channels: 'rgb', mean: 127, std: 128 },
    outputs: { scores: 'scores', boxes: 'boxes' },
  },
  landmarks: {
    role: 'landmarks',
    file: 'fr_landmark.onnx',
    sha256: 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
    // grey 64x64 crop of the square face box, v/256 -> 68 points in crop units
    input: { width: 64, height: 64, channels: 'gray', mean: 0, std: 256 },
    outputs: {},
  },
  embedder: {
    role: 'embedder',
    file: 'fr_feature.onnx',
    sha256: '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
    // 112x112 crop aligned to the ArcFace five-point reference -> 512-d; BGR measured better than RGB
    // (45 of 49 same-person pairs score higher; see src/vision/README.md)
    input: { width: 112, height: 112, channels: 'bgr', mean: 127, std: 128 },
    outputs: {},
  },
  liveness: {
    role: 'liveness',
    file: 'fr_liveness.onnx',
    sha256: 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d',
    // raw 0..255, crop = face box scaled 2.7x -> 3 logits, class 0 "real"
    input: { width: 128, height: 128, channels: 'bgr', mean: 0, std: 1 },
    outputs: {},
  },
}
