import { z } from 'zod'
import { envelope, IdRef, SubjectRef, Timestamp } from '../envelope.js'

const Score = z.number().min(0).max(1)

export const SightingTrack = z.strictObject({
  trackId: z.string().min(1).max(64).describe('per-camera track id, stable while the person stays in view'),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('face box in pixels: [x1, y1, x2, y2]'),
  floor: z.tuple([z.number(), z.number()]).nullable().describe('floor position in metres, when the camera is calibrated'),
  subject: z.union([SubjectRef, z.literal('unknown')]).describe('pseudonymous subject id or "unknown"'),
  score: Score.describe('identity similarity of the consensus'),
  liveness: Score.nullable().describe('probability the face is live (not a photo or screen); null when not measured'),
  quality: Score.describe('face quality: size, sharpness, pose'),
})
export type SightingTrack = z.infer<typeof SightingTrack>

export const Sightings = z
  .strictObject({
    ...envelope,
    camera: IdRef,
    frameId: z.number().int().min(0).describe('frame sequence number since the stream opened'),
    capturedAt: Timestamp.describe('capture time of the frame'),
    width_px: z.number().int().positive(),
    height_px: z.number().int().positive(),
    tracks: z.array(SightingTrack).max(256),
    snapshot: z.string().max(200).optional().describe('id of a JPEG the edge keeps for evidence'),
  })
  .describe('One message per processed frame, also when no one is in view (so silence means a fault).')
export type Sightings = z.infer<typeof Sightings>
