import { z } from 'zod'

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits')

/** An operator's own weights in place of one model of the default pack (issue 3). */
export const ModelOverride = z.strictObject({
  file: z.string().min(1).describe('absolute path of the .onnx file (or relative to the venue file)'),
  sha256: Sha256.describe('checked before the model is loaded'),
  input: z.strictObject({
    width: z.number().int().positive().max(4096),
    height: z.number().int().positive().max(4096),
    channels: z.enum(['rgb', 'bgr', 'gray']),
    mean: z.number().describe('normalisation: (value - mean) / std, value 0..255'),
    std: z.number().positive(),
  }),
  outputs: z.record(z.string(), z.string()).default({}).describe('output names where they matter (detector: scores, boxes)'),
})
export type ModelOverride = z.infer<typeof ModelOverride>

export const VisionConfig = z.strictObject({
  models: z
    .strictObject({
      detector: ModelOverride.optional(),
      landmarks: ModelOverride.optional(),
      embedder: ModelOverride.optional(),
      liveness: ModelOverride.optional(),
    })
    .default({})
    .describe('replace models of the default pack with your own; each needs the same output layout'),
  match: z
    .strictObject({
      threshold: z.number().min(0).max(1).default(0.4).describe('cosine similarity needed to name a subject'),
      margin: z.number().min(0).max(1).default(0.05).describe('best subject must beat the second by this much'),
    })
    .default({ threshold: 0.4, margin: 0.05 }),
  quality: z
    .strictObject({
      minFace_px: z.number().int().min(8).max(1000).default(40),
      minQuality: z.number().min(0).max(1).default(0.3).describe('faces below this are tracked but not recognised'),
    })
    .default({ minFace_px: 40, minQuality: 0.3 }),
  liveness_min: z.number().min(0).max(1).default(0.5).describe('probability of a live face below which a face counts as a spoof'),
  gallery: z
    .strictObject({
      dir: z.string().min(1).default('var/gallery').describe('encrypted template store, relative to the venue file'),
      keyFile: z.string().min(1).optional().describe('file holding the 32-byte key; default: the VENUE_GALLERY_KEY environment variable'),
    })
    .default({ dir: 'var/gallery' }),
})
export type VisionConfig = z.infer<typeof VisionConfig>
