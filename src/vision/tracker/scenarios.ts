/**
 * Named synthetic scenes (see sim.ts) shared by the tracker tests and bench/tracker.ts. 1280x720, ~5 fps.
 */
import { mulberry32, randomPeople, type SceneSpec } from './sim.js'

/** Two faces walking towards each other on nearly the same line; the nearer one hides the other as they pass. */
export function crossing(seed: number, o: { speed?: number; sameSize?: boolean; dy?: number } = {}): SceneSpec {
  const v = o.speed ?? 100
  const dy = o.dy ?? 12
  return {
    seed,
    // Each walks 700 px, ending short of the frame edge.
    durationMs: Math.round((700 / v) * 1000),
    jitter: 0.03,
    people: [
      { cx: 300, cy: 360, size: 80, vx: v, depth: 0 },
      { cx: 980, cy: 360 + dy, size: o.sameSize ? 80 : 64, vx: -v, depth: 1 },
    ],
  }
}

/** `n` people moving and turning at random, with missed detections, jitter, low-score false positives, dropped frames. */
export function crowd(seed: number, o: { n?: number; missProb?: number; durationMs?: number } = {}): SceneSpec {
  const durationMs = o.durationMs ?? 20000
  return {
    seed,
    durationMs,
    people: randomPeople(mulberry32(seed ^ 0x5eed), o.n ?? 5, { durationMs, size: [40, 160], speed: [0.3, 2], turnsPerS: 0.2 }),
    missProb: o.missProb ?? 0.15,
    jitter: 0.04,
    lowScoreProb: 0.05,
    fpPerFrame: 0.3,
    frameJitter: 0.2,
    dropProb: 0.05,
  }
}

/**
 * A face walks behind an opaque pillar and stays undetectable for `hideMs` (default 1000), while another
 * walks in the clear. The pillar's edges give partly hidden, low-score detections on the way in and out.
 */
export function occlusion(seed: number, o: { hideMs?: number; speed?: number } = {}): SceneSpec {
  const v = o.speed ?? 120
  const size = 80
  const w = 0.8 * size
  // Undetectable while the pillar covers > 60% of the box: the centre travels pillar - 0.2 w meanwhile.
  const pillar = (v * (o.hideMs ?? 1000)) / 1000 + 0.2 * w
  return {
    seed,
    durationMs: 8000,
    jitter: 0.03,
    occluders: [{ box: [640 - pillar / 2, 0, 640 + pillar / 2, 720] }],
    people: [
      { cx: 640 - 3 * v, cy: 400, size, vx: v },
      { cx: 1100, cy: 150, size: 70, vx: -40, vy: 10 },
    ],
  }
}

/**
 * Three faces pass behind a half-transparent panel (a glass partition, a plant): detectable but scored
 * low for about 1.7 s each, plus random blur (10% low scores) and 5% misses. What ByteTrack's second stage is for.
 */
export function lowScore(seed: number): SceneSpec {
  return {
    seed,
    durationMs: 10000,
    jitter: 0.03,
    lowScoreProb: 0.1,
    missProb: 0.05,
    fpPerFrame: 0.3,
    occluders: [{ box: [540, 0, 740, 720], opacity: 0.5 }],
    people: [
      { cx: 200, cy: 150, size: 90, vx: 120 },
      { cx: 1100, cy: 380, size: 70, vx: -110, vy: 5 },
      { cx: 150, cy: 600, size: 110, vx: 100, vy: -8 },
    ],
  }
}

/** Four people with the frame interval varying 120-280 ms and 30% of frames dropped (gaps up to ~1 s). */
export function dropped(seed: number): SceneSpec {
  const durationMs = 20000
  return {
    seed,
    durationMs,
    people: randomPeople(mulberry32(seed ^ 0xd40b), 4, { durationMs, size: [50, 150], speed: [0.3, 1.5], turnsPerS: 0.15 }),
    frameJitter: 0.4,
    dropProb: 0.3,
    missProb: 0.1,
    jitter: 0.04,
    fpPerFrame: 0.2,
  }
}
