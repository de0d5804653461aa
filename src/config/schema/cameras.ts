import { z } from 'zod'
import { FloorPoint, Id, ImagePoint } from './common.js'

export const CalibrationPair = z.strictObject({
  image: ImagePoint,
  floor: FloorPoint,
})

export const Camera = z.strictObject({
  id: Id,
  name: z.string().min(1).optional(),
  rtspUrl: z.string().regex(/^rtsps?:\/\//, 'an RTSP URL starts with rtsp:// or rtsps://'),
  edgeNode: Id.describe('edge node that serves this camera'),
  zones: z.array(Id).min(1).describe('zones this camera sees'),
  width_px: z.number().int().positive().default(1920),
  height_px: z.number().int().positive().default(1080),
  fps: z.number().positive().max(60).default(5).describe('frames per second the edge analyses'),
  calibration: z.strictObject({
    plane_m: z.number().min(0).max(3).default(1.6).describe('height of the plane the pairs were measured on (faces: head height)'),
    pairs: z.array(CalibrationPair).min(4).describe('image<->floor correspondences; four or more give a homography'),
  }),
})
export type Camera = z.infer<typeof Camera>
