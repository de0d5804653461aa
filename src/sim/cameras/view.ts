/**
 * What a synthetic camera sees and where in its picture: a person is in view when their zone is one of
 * the camera's zones (or their floor point lies inside one of those zones' polygons), and their face
 * box is placed by mapping the floor point back to the image through the inverse of the camera's
 * calibration homography. The calibration pairs are measured at head height (`plane_m`, see
 * config/homography.ts), so the mapped pixel is where the head of someone standing there appears; the
 * box's centre mapped forward again by `imageToFloor` gives back the floor point (unless clipped).
 */
import type { Camera } from '../../config/index.js'
import { applyHomography, cameraHomography } from '../../config/homography.js'
import type { ZoneIndex } from '../../config/zones.js'
import type { SimPerson } from '../world/types.js'
import { clamp } from './noise.js'

/** Width of a face on the head-height plane, metres (with some hair and ears: a detector's box). */
export const FACE_WIDTH_M = 0.18
/** Height over width of a face box. */
export const FACE_ASPECT = 1.25
/** A face box is at least this wide (the edge's default `vision.detection.minFace_px` is 40). */
export const MIN_FACE_PX = 48

export function inView(camera: Pick<Camera, 'zones'>, person: Pick<SimPerson, 'zone' | 'floor' | 'present'>, zones: ZoneIndex): boolean {
  if (!person.present) return false
  if (person.zone !== null && camera.zones.includes(person.zone)) return true
  return zones.inAny(person.floor, camera.zones)
}

export type Box = [number, number, number, number]

/**
 * Face box [x1, y1, x2, y2] in whole pixels for a head over `floor`: centred on the inverse homography
 * of the point, sized by the local scale of the mapping, kept inside the image (shifted in when the
 * point maps near or beyond an edge, shrunk only when the image is smaller than the box).
 */
export function faceBox(camera: Pick<Camera, 'calibration' | 'width_px' | 'height_px'>, floor: readonly [number, number]): Box {
  const W = camera.width_px
  const H = camera.height_px
  const inv = cameraHomography(camera).inverse
  const c = applyHomography(inv, floor)
  let width = MIN_FACE_PX
  let cx = W / 2
  let cy = H / 2
  if (c !== null) {
    ;[cx, cy] = c
    const dx = applyHomography(inv, [floor[0] + FACE_WIDTH_M, floor[1]])
    const dy = applyHomography(inv, [floor[0], floor[1] + FACE_WIDTH_M])
    const spans = [dx, dy].filter((p): p is [number, number] => p !== null).map((p) => Math.hypot(p[0] - cx, p[1] - cy))
    const scale = spans.length === 0 ? 0 : spans.reduce((s, x) => s + x, 0) / spans.length
    if (Number.isFinite(scale)) width = Math.max(MIN_FACE_PX, scale)
  }
  width = Math.min(width, W / 4, H / 4 / FACE_ASPECT)
  const height = width * FACE_ASPECT
  const x1 = Math.round(clamp(cx - width / 2, 0, W - width))
  const y1 = Math.round(clamp(cy - height / 2, 0, H - height))
  const x2 = Math.min(W, x1 + Math.round(width))
  const y2 = Math.min(H, y1 + Math.round(height))
  return [x1, y1, x2, y2]
}
