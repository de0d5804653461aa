/**
 * Synthetic face-detection scenes for testing and benchmarking the tracker, seeded and deterministic.
 *
 * People are face boxes moving with piecewise-constant velocity (scheduled turns eased in
 * over `turnMs`, optional size change, turning back at the frame edges). Each frame, a box's visibility is 1 minus the share of it covered by
 * occluders (weighted by their opacity) and by nearer people; below `hideBelow` it is not detectable,
 * otherwise the detector still misses it with `missProb`, jitters its edges, and scores it low when it is
 * partly hidden (visibility < `lowBelow`) or at random (`lowScoreProb`, blur). False positives are added
 * with low scores. Frame intervals vary (`frameJitter`) and frames are dropped (`dropProb`).
 */
import type { Box } from '../nms.js'
import type { Detection } from './bytetrack.js'

import { gaussian, mulberry32, type Rng } from '../../shared/random.js'

export { gaussian, mulberry32, type Rng }

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng()

export interface Turn {
  atMs: number
  /** New velocity, px/s. */
  vx: number
  vy: number
}

export interface PersonSpec {
  /** Ground-truth id; default: index + 1. */
  id?: number
  /** Face centre and height at `enterMs`, px. */
  cx: number
  cy: number
  size: number
  /** Width / height. Default 0.8. */
  aspect?: number
  /** Velocity, px/s. Default 0. */
  vx?: number
  vy?: number
  /** Height change, px/s (walking towards the camera). Default 0. */
  vsize?: number
  /** Velocity changes; each is eased in over the scene's `turnMs`. */
  turns?: Turn[]
  enterMs?: number
  exitMs?: number
  /** Smaller is nearer the camera, and hides the farther. Default: -size at entry (bigger faces are nearer). */
  depth?: number
}

export interface Occluder {
  box: Box
  /** 1 hides what is behind it; 0.5 halves its visibility. Default 1. */
  opacity?: number
}

export interface SceneSpec {
  seed: number
  durationMs: number
  people: PersonSpec[]
  width?: number
  height?: number
  /** Time constant of a turn (velocity eases to the new one), ms; 0 turns instantly. Default 400. */
  turnMs?: number
  /** Mean frame interval, ms. Default 200 (5 fps). */
  frameMs?: number
  /** Each interval is frameMs x (1 +- frameJitter). Default 0.1. */
  frameJitter?: number
  /** Probability that a frame is dropped (the next comes one interval later), repeatedly. Default 0. */
  dropProb?: number
  occluders?: Occluder[]
  /** Not detectable below this visibility. Default 0.4. */
  hideBelow?: number
  /** Scored low below this visibility. Default 0.75. */
  lowBelow?: number
  /** Random missed detections. Default 0. */
  missProb?: number
  /** Random low scores on fully visible faces (blur). Default 0. */
  lowScoreProb?: number
  /** Edge jitter std, fraction of the box size. Default 0.03. */
  jitter?: number
  /** Mean false positives per frame (Poisson). Default 0. */
  fpPerFrame?: number
  /** False-positive score range. Default [0.3, 0.55]. */
  fpScore?: [number, number]
}

export interface GtBox {
  id: number
  box: Box
  /** 0..1, share of the box not hidden. */
  visibility: number
  /** Detectable (visibility >= hideBelow): only these count in evaluation. */
  visible: boolean
}

export interface SimDetection extends Detection {
  /** Ground-truth id of the person detected, or null for a false positive. */
  gt: number | null
}

export interface SimFrame {
  time: number
  gt: GtBox[]
  detections: SimDetection[]
}

interface Body {
  spec: PersonSpec
  id: number
  cx: number
  cy: number
  size: number
  vx: number
  vy: number
  /** Velocity being turned to. */
  tx: number
  ty: number
  turn: number
  depth: number
}

/** Generate the frames of a scene. */
export function simulate(spec: SceneSpec): SimFrame[] {
  const rng = mulberry32(spec.seed)
  const W = spec.width ?? 1280
  const H = spec.height ?? 720
  const frameMs = spec.frameMs ?? 200
  const jitterT = spec.frameJitter ?? 0.1
  const hideBelow = spec.hideBelow ?? 0.4
  const lowBelow = spec.lowBelow ?? 0.75
  const jitter = spec.jitter ?? 0.03
  const [fpLo, fpHi] = spec.fpScore ?? [0.3, 0.55]
  const bodies: Body[] = spec.people.map((p, i) => ({
    spec: p, id: p.id ?? i + 1, cx: p.cx, cy: p.cy, size: p.size, vx: p.vx ?? 0, vy: p.vy ?? 0, tx: p.vx ?? 0, ty: p.vy ?? 0, turn: 0, depth: p.depth ?? -p.size,
  }))
  const frames: SimFrame[] = []
  let world = 0
  for (let time = 0; time < spec.durationMs; ) {
    advance(bodies, world, time, W, H, spec.turnMs ?? 400)
    world = time
    const present = bodies.filter((b) => time >= (b.spec.enterMs ?? 0) && time < (b.spec.exitMs ?? Infinity))
    const boxes = present.map((b) => boxOf(b))
    const gt: GtBox[] = []
    const detections: SimDetection[] = []
    present.forEach((b, i) => {
      const full = boxes[i]!
      const box = clip(full, W, H)
      let hidden = 1 - coverage(full, [0, 0, W, H])
      for (const o of spec.occluders ?? []) hidden += coverage(full, o.box) * (o.opacity ?? 1)
      present.forEach((other, j) => {
        if (j !== i && other.depth < b.depth) hidden += coverage(full, boxes[j]!)
      })
      const visibility = Math.max(0, 1 - hidden)
      const visible = visibility >= hideBelow
      gt.push({ id: b.id, box, visibility, visible })
      if (!visible || rng() < (spec.missProb ?? 0)) return
      const w = box[2] - box[0]
      const h = box[3] - box[1]
      const noisy: Box = [box[0] + gaussian(rng) * jitter * w, box[1] + gaussian(rng) * jitter * h, box[2] + gaussian(rng) * jitter * w, box[3] + gaussian(rng) * jitter * h]
      const low = visibility < lowBelow || rng() < (spec.lowScoreProb ?? 0)
      detections.push({ box: clip(noisy, W, H), score: low ? uniform(rng, 0.32, 0.58) : uniform(rng, 0.65, 0.98), gt: b.id })
    })
    for (let k = poisson(rng, spec.fpPerFrame ?? 0); k > 0; k--) {
      const s = uniform(rng, 30, 120)
      const x = uniform(rng, 0, W - s)
      const y = uniform(rng, 0, H - s)
      detections.push({ box: [x, y, x + 0.8 * s, y + s], score: uniform(rng, fpLo, fpHi), gt: null })
    }
    detections.sort((a, b) => b.score - a.score)
    frames.push({ time, gt, detections })
    time += Math.max(1, Math.round(frameMs * (1 + uniform(rng, -jitterT, jitterT))))
    while (rng() < (spec.dropProb ?? 0)) time += frameMs
  }
  return frames
}

/** Move every body from `from` to `to` ms in steps of at most 20 ms, turning and bouncing. */
function advance(bodies: Body[], from: number, to: number, W: number, H: number, turnMs: number): void {
  for (let t = from; t < to; ) {
    const step = Math.min(20, to - t)
    const ease = turnMs > 0 ? 1 - Math.exp(-step / turnMs) : 1
    for (const b of bodies) {
      const turns = b.spec.turns ?? []
      while (b.turn < turns.length && turns[b.turn]!.atMs <= t) {
        b.tx = turns[b.turn]!.vx
        b.ty = turns[b.turn]!.vy
        b.turn++
      }
      b.vx += (b.tx - b.vx) * ease
      b.vy += (b.ty - b.vy) * ease
      const s = step / 1000
      b.cx += b.vx * s
      b.cy += b.vy * s
      b.size = Math.min(400, Math.max(20, b.size + (b.spec.vsize ?? 0) * s))
      const hw = (b.size * (b.spec.aspect ?? 0.8)) / 2
      const hh = b.size / 2
      // At an edge the body turns back (over turnMs, like any turn).
      if ((b.cx - hw < 0 && b.tx < 0) || (b.cx + hw > W && b.tx > 0)) b.tx = -b.tx
      if ((b.cy - hh < 0 && b.ty < 0) || (b.cy + hh > H && b.ty > 0)) b.ty = -b.ty
    }
    t += step
  }
}

function boxOf(b: Body): Box {
  const hw = (b.size * (b.spec.aspect ?? 0.8)) / 2
  const hh = b.size / 2
  return [b.cx - hw, b.cy - hh, b.cx + hw, b.cy + hh]
}

function clip(b: Box, W: number, H: number): Box {
  return [Math.max(0, b[0]), Math.max(0, b[1]), Math.min(W, b[2]), Math.min(H, b[3])]
}

/** Share of `a` covered by `b`. */
function coverage(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0])
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1])
  return iw > 0 && ih > 0 ? (iw * ih) / ((a[2] - a[0]) * (a[3] - a[1])) : 0
}

function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0
  const limit = Math.exp(-mean)
  let k = 0
  for (let p = rng(); p > limit; p *= rng()) k++
  return k
}

export interface RandomPeopleOptions {
  width?: number
  height?: number
  durationMs: number
  /** Face height range, px. Default [40, 160]. */
  size?: [number, number]
  /** Speed range in face heights per second. Default [0.3, 2]. */
  speed?: [number, number]
  /** Mean random turns per second. Default 0.2. */
  turnsPerS?: number
}

/** `n` people spread over the frame, random velocities and random turns. */
export function randomPeople(rng: Rng, n: number, o: RandomPeopleOptions): PersonSpec[] {
  const W = o.width ?? 1280
  const H = o.height ?? 720
  const [s0, s1] = o.size ?? [40, 160]
  const [v0, v1] = o.speed ?? [0.3, 2]
  const rate = o.turnsPerS ?? 0.2
  const velocity = (size: number): [number, number] => {
    const a = uniform(rng, 0, 2 * Math.PI)
    const v = uniform(rng, v0, v1) * size
    return [v * Math.cos(a), v * Math.sin(a)]
  }
  return Array.from({ length: n }, (_, i) => {
    const size = uniform(rng, s0, s1)
    const [vx, vy] = velocity(size)
    const turns: Turn[] = []
    for (let t = (-Math.log(1 - rng()) / rate) * 1000; rate > 0 && t < o.durationMs; t += (-Math.log(1 - rng()) / rate) * 1000) {
      const [tx, ty] = velocity(size)
      turns.push({ atMs: t, vx: tx, vy: ty })
    }
    return { id: i + 1, cx: uniform(rng, size, W - size), cy: uniform(rng, size, H - size), size, vx, vy, turns }
  })
}
