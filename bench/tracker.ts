/**
 * `node dist/bench/tracker.js` (after `npm run build`): the per-camera tracker on the synthetic scenes of
 * src/vision/tracker/scenarios.ts, BENCH_SEEDS seeds each (default 20), CLEAR-MOT figures for the default
 * tracker and for variants (second stage off, plain ByteTrack stage 2, IoU-only matching, coasting lost
 * tracks); then update() time per frame with 5, 20 and 50 people in view.
 */
import { Tracker, type TrackerOptions } from '../src/vision/tracker/index.js'
import { sumMetrics, trackScene, type MotMetrics } from '../src/vision/tracker/eval.js'
import { simulate, type SceneSpec } from '../src/vision/tracker/sim.js'
import { crossing, crowd, dropped, lowScore, occlusion } from '../src/vision/tracker/scenarios.js'
import { fmt, median, quantile, table } from './stats.js'

const SEEDS = Number(process.env.BENCH_SEEDS ?? 20)

const SCENES: Array<[string, (seed: number) => SceneSpec]> = [
  ['crossing 100 px/s', (s) => crossing(s)],
  ['crossing 300 px/s', (s) => crossing(s, { speed: 300 })],
  ['crossing, equal faces, one line', (s) => crossing(s, { sameSize: true, dy: 0 })],
  ['crowd: 5 people, 15% misses', (s) => crowd(s)],
  ['pillar, hidden 1 s', (s) => occlusion(s)],
  ['pillar, hidden 1.5 s', (s) => occlusion(s, { hideMs: 1500 })],
  ['half-transparent panel (low scores)', lowScore],
  ['30% dropped frames', dropped],
]

const VARIANTS: Array<[string, TrackerOptions]> = [
  ['default', {}],
  ['no second stage', { secondStage: false }],
  ['ByteTrack stage 2 (lowRecoverMs 0)', { lowRecoverMs: 0 }],
  ['IoU only (motionGate 0)', { motionGate: 0 }],
  ['coast 450 ms (emitLostMs)', { emitLostMs: 450 }],
]

function row(scene: string, variant: string, m: MotMetrics): string[] {
  return [scene, variant, fmt(m.gt), fmt(m.idSwitches), fmt((100 * m.idSwitches) / m.gt, 2), fmt(m.fragmentations), fmt(m.misses), fmt(m.falsePositives), fmt(m.mota, 3), fmt(m.motp, 3), `${m.trackIds}/${m.identities}`]
}

const rows: string[][] = [['scene', 'tracker', 'GT boxes', 'IDSW', 'IDSW/100', 'frag', 'miss', 'FP', 'MOTA', 'MOTP', 'tracks/people']]
for (const [name, scene] of SCENES) {
  const frames = Array.from({ length: SEEDS }, (_, i) => simulate(scene(i + 1)))
  for (const [variant, options] of VARIANTS) {
    rows.push(row(name, variant, sumMetrics(frames.map((f) => trackScene(f, new Tracker(options))))))
  }
}
console.log(`CLEAR-MOT over ${SEEDS} seeds per scene (IoU >= 0.5; hidden ground truth ignored)\n`)
console.log(table(rows))

const timing: string[][] = [['people', 'detections/frame', 'median µs', 'p99 µs']]
for (const n of [5, 20, 50]) {
  const frames = simulate({ ...crowd(1, { n, durationMs: 60_000 }), width: 1920, height: 1080 })
  const times: number[] = []
  let dets = 0
  for (let rep = 0; rep < 3; rep++) {
    const tr = new Tracker()
    for (const f of frames) {
      const t0 = performance.now()
      tr.update(f.time, f.detections)
      times.push((performance.now() - t0) * 1000)
      dets += f.detections.length
    }
  }
  timing.push([String(n), fmt(dets / times.length, 1), fmt(median(times), 1), fmt(quantile(times, 0.99), 1)])
}
console.log('\nupdate() time per frame (one core)\n')
console.log(table(timing))
