/**
 * One pixel camera's frames: its background (with sensor noise), and for every person in its view the
 * face of their photo, centred where `faceBox` puts their head (the inverse of the calibration the
 * monitor maps the edge's face boxes back to the floor with) and sized by distance. Farther faces are
 * pasted first, so a nearer one covers them, as it would in a lens.
 *
 * Sizes: a real face (0.18 m) on a few-hundred-pixel frame of a 7 m room is 8-25 px, under what the
 * detector finds (`vision.quality.minFace_px`, 40 by default). Faces are drawn MAGNIFY times their
 * true size, at least `minFace` and at most `maxFace` px wide: nearer faces stay larger than farther
 * ones, and every face stays findable.
 *
 * Drawn: people in the camera's zones whose floor point lies inside the calibrated area (the hull of
 * the calibration's floor points) or less than 2 m out of it. Farther away a head maps near the horizon, where a pixel is metres
 * of floor: a real edge would not recognise that face, and its box would put the person far off.
 */
import type { Camera } from '../../config/index.js'
import { orient, pointInPolygon, type Point } from '../../config/geometry.js'
import { applyHomography, cameraHomography } from '../../config/homography.js'
import type { ZoneIndex } from '../../config/zones.js'
import { FACE_ASPECT, faceBox, FACE_WIDTH_M, inView } from '../cameras/view.js'
import { segDist } from '../world/plan.js'
import type { SimPerson } from '../world/types.js'
import type { FaceSprites } from './facebook.js'
import { background, blit, noisyVariants } from './picture.js'

export const MAGNIFY = 3

export interface RendererOptions {
  camera: Camera
  zones: ZoneIndex
  faces: (subject: string | null) => FaceSprites
  minFace: number
  maxFace: number
  seed: number
}

/** A face in a frame: centre and width in pixels; depth orders them (the true width: larger is nearer). */
export interface Placed {
  subject: string | null
  cx: number
  cy: number
  width: number
  depth: number
}

/** How far outside its calibrated area a camera still draws people, m. */
const CALIBRATED_MARGIN_M = 2

/** Enough noisy backgrounds that no two frames in a row are alike. */
const VARIANTS = 6
/** Grey levels of sensor noise: above the edge's frozen threshold, invisible to the detector. */
const NOISE = 3

export class CameraRenderer {
  private readonly plain: Buffer[]
  private readonly dark: Buffer[]
  private frame = 0
  private readonly calibrated: Point[]

  constructor(private readonly o: RendererOptions) {
    const { width_px: w, height_px: h } = o.camera
    this.calibrated = closedHull(o.camera.calibration.pairs.map((p) => p.floor))
    this.plain = noisyVariants(background(w, h, o.seed), VARIANTS, NOISE, o.seed)
    // a covered lens: near black, with the same noise, as the edge's dark check expects
    this.dark = noisyVariants(Buffer.alloc(w * h * 3, 6), VARIANTS, 2, o.seed + 1)
  }

  get camera(): Camera {
    return this.o.camera
  }

  /** The next frame: RGB, the camera's width x height. */
  render(people: readonly SimPerson[], covered = false): Buffer {
    const k = this.frame++ % VARIANTS
    if (covered) return this.dark[k]!
    const { camera } = this.o
    const out = Buffer.from(this.plain[k]!)
    const faces = this.placed(people).sort((a, b) => a.depth - b.depth)
    for (const f of faces) {
      const sprite = this.o.faces(f.subject).at(f.width)
      // the whole face inside the frame, as faceBox keeps its box: a face cut by the edge is not found
      const half = f.width / 2
      const cx = Math.min(camera.width_px - half, Math.max(half, f.cx))
      const cy = Math.min(camera.height_px - half * FACE_ASPECT, Math.max(half * FACE_ASPECT, f.cy))
      blit(out, camera.width_px, camera.height_px, { picture: sprite.picture, x: cx - sprite.cx, y: cy - sprite.cy })
    }
    return out
  }

  /** Inside the calibrated area, or within CALIBRATED_MARGIN_M of it (a room's door side, say). */
  private calibratedNear(floor: Point): boolean {
    if (pointInPolygon(floor, this.calibrated)) return true
    for (let i = 1; i < this.calibrated.length; i++) if (segDist(floor, this.calibrated[i - 1]!, this.calibrated[i]!) <= CALIBRATED_MARGIN_M) return true
    return false
  }

  /** Where each person in view is drawn: face centre and width, pixels. */
  placed(people: readonly SimPerson[]): Placed[] {
    const { camera, zones } = this.o
    const out: Placed[] = []
    for (const p of people) {
      if (!inView(camera, p, zones) || !this.calibratedNear(p.floor)) continue
      const [x1, y1, x2, y2] = faceBox(camera, p.floor)
      const depth = trueWidth(camera, p.floor)
      const width = Math.min(this.o.maxFace, Math.max(this.o.minFace, MAGNIFY * depth))
      out.push({ subject: p.subject, cx: (x1 + x2) / 2, cy: (y1 + y2) / 2, width, depth })
    }
    return out
  }
}

/** Width in pixels of a real face over `floor`: the local scale of the inverse calibration. */
function trueWidth(camera: Camera, floor: readonly [number, number]): number {
  const inv = cameraHomography(camera).inverse
  const c = applyHomography(inv, floor)
  const d = applyHomography(inv, [floor[0] + FACE_WIDTH_M, floor[1]])
  const e = applyHomography(inv, [floor[0], floor[1] + FACE_WIDTH_M])
  if (c === null || d === null || e === null) return 0
  const w = (Math.hypot(d[0] - c[0], d[1] - c[1]) + Math.hypot(e[0] - c[0], e[1] - c[1])) / 2
  return Number.isFinite(w) ? w : 0
}

/** Convex hull of points (monotone chain), as a closed ring. */
function closedHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const half = (list: readonly Point[]): Point[] => {
    const out: Point[] = []
    for (const q of list) {
      while (out.length >= 2 && orient(out[out.length - 2]!, out[out.length - 1]!, q) <= 0) out.pop()
      out.push(q)
    }
    return out.slice(0, -1)
  }
  const ring = [...half(sorted), ...half([...sorted].reverse())]
  return ring.length === 0 ? [] : [...ring, ring[0]!]
}
