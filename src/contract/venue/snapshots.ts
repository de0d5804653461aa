import { z } from 'zod'
import { envelope, IdRef, Timestamp } from '../envelope.js'

export const SnapshotRequest = z
  .strictObject({
    ...envelope,
    requestId: IdRef,
    camera: IdRef,
    snapshot: z.string().max(200).optional().describe('a snapshot id named in a sighting; default: the latest frame'),
    requestedBy: z.string().min(1).max(64),
  })
  .describe('Ask the edge that serves a camera for a JPEG, as evidence (monitor, console).')
export type SnapshotRequest = z.infer<typeof SnapshotRequest>

/** The longest base64 JPEG a snapshot message may carry (the broker's maxPayload_bytes may be lower). */
export const SNAPSHOT_MAX_BASE64 = 400_000

export const Snapshot = z
  .strictObject({
    ...envelope,
    requestId: IdRef.nullable().describe('the request answered, or null when the edge sent it unasked'),
    snapshot: z.string().max(200).describe('snapshot id: {camera}:{frameId}'),
    camera: IdRef,
    capturedAt: Timestamp,
    width_px: z.number().int().positive(),
    height_px: z.number().int().positive(),
    jpeg: z.base64().max(SNAPSHOT_MAX_BASE64).describe('the JPEG, base64'),
  })
  .describe('A frame behind a sighting, as JPEG: evidence for an alert.')
export type Snapshot = z.infer<typeof Snapshot>
