import { z } from 'zod'
import { envelope, IdRef, Timestamp } from '../envelope.js'

export const EdgeStatus = z
  .strictObject({
    ...envelope,
    node: IdRef,
    state: z.enum(['online', 'offline']),
    cameras: z.array(IdRef).default([]).describe('cameras this node serves'),
    queued: z.number().int().min(0).default(0).describe('messages waiting in the on-disk queue'),
    dropped: z.number().int().min(0).default(0).describe('messages dropped because the queue was full'),
  })
  .describe('Retained. The broker publishes state "offline" as the last will.')
export type EdgeStatus = z.infer<typeof EdgeStatus>

export const CameraState = z.enum(['online', 'stalled', 'frozen', 'dark', 'tampered', 'offline'])
export type CameraState = z.infer<typeof CameraState>

export const CameraStatus = z
  .strictObject({
    ...envelope,
    camera: IdRef,
    node: IdRef,
    state: CameraState,
    since: Timestamp.describe('when the current state began'),
    fps: z.number().min(0).describe('frames analysed per second, last 10 s'),
    lastFrameAt: Timestamp.nullable().describe('capture time of the last frame received'),
    droppedFrames: z.number().int().min(0).default(0).describe('frames dropped since the edge started because analysis fell behind'),
    detail: z.string().max(500).optional().describe('why, in words: the ffmpeg error, the measure that tripped'),
  })
  .describe('Retained. One per camera.')
export type CameraStatus = z.infer<typeof CameraStatus>
