/**
 * The tracker on generated motion (src/vision/tracker/sim.ts, scenes in scenarios.ts), scored with
 * CLEAR-MOT (eval.ts). Every scene runs on 20 seeds; bounds hold on the sum and on the worst seed.
 * Figures measured when these bounds were set are in the comments (and in bench/tracker.ts output).
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Tracker, type ExtraCost, type TrackerOptions } from '../../src/vision/tracker/index.js'
import { MotEvaluator, sumMetrics, trackScene, type FrameTracker, type MotMetrics } from '../../src/vision/tracker/eval.js'
import { simulate, type SceneSpec, type SimDetection } from '../../src/vision/tracker/sim.js'
import { crossing, crowd, dropped, lowScore, occlusion } from '../../src/vision/tracker/scenarios.js'
import type { Box } from '../../src/vision/nms.js'

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1)

function runAll(scene: (seed: number) => SceneSpec, options: TrackerOptions = {}): { sum: MotMetrics; runs: MotMetrics[] } {
  const runs = SEEDS.map((seed) => trackScene(simulate(scene(seed)), new Tracker(options)))
  return { sum: sumMetrics(runs), runs }
}
const per100 = (m: MotMetrics): number => (100 * m.idSwitches) / m.gt
const worst = (runs: MotMetrics[], f: (m: MotMetrics) => number): number => Math.max(...runs.map(f))
const fmt = (m: MotMetrics): string => `IDSW ${m.idSwitches}, frag ${m.fragmentations}, misses ${m.misses}, FP ${m.falsePositives}, MOTA ${m.mota.toFixed(3)} over ${m.gt} GT boxes`

test('evaluator: misses, false positives, ID switches, fragmentations and MOTA on a hand-made sequence', () => {
  const g = (x: number, visible = true): { id: number; box: Box; visibility: number; visible: boolean } => ({ id: 1, box: [x, 0, x + 50, 60], visibility: visible ? 1 : 0.1, visible })
  const h = (id: string, x: number): { id: string; box: Box } => ({ id, box: [x + 2, 1, x + 52, 61] })
  const ev = new MotEvaluator()
  ev.add([g(0)], [h('a', 0)])
  ev.add([g(10)], [h('a', 10)])
  ev.add([g(20)], []) // miss: coverage interrupted
  ev.add([g(30)], [h('a', 30)]) // resumed: 1 fragmentation
  ev.add([g(40, false)], [h('a', 40)]) // hidden ground truth: neither a miss nor a false positive
  ev.add([g(50)], [h('b', 50), h('c', 500)]) // ID switch a -> b, and a false positive
  ev.add([g(60)], [h('a', 60), h('b', 60)]) // keeps b (last frame's match) though a fits as well: no switch; a is a false positive
  const m = ev.result()
  assert.equal(
    [m.gt, m.matches, m.misses, m.falsePositives, m.idSwitches, m.fragmentations, m.identities, m.trackIds, m.mostlyTracked],
    [6, 5, 1, 2, 1, 1, 1, 3, 1],
  )
  assert.ok(Math.abs(m.mota - (1 - 4 / 6)) < 1e-12)
  assert.ok(m.motp > 0.85 && m.motp < 1)
  assert.equal(ev.tracksOf(1), ['a', 'b'])
})

test('simulator: seeded and deterministic, with the miss rate, frame gaps and low-score false positives asked for', () => {
  const spec = crowd(5)
  assert.equal(simulate(spec), simulate(spec))
  assert.not.equal(simulate(crowd(6))[10], simulate(spec)[10])
  const frames = simulate({ ...crowd(5, { durationMs: 200_000 }), lowScoreProb: 0 })
  let visible = 0
  let detected = 0
  let fps = 0
  for (const f of frames) {
    for (const gt of f.gt) {
      if (!gt.visible || gt.visibility < 0.75) continue
      visible++
      if (f.detections.some((d) => d.gt === gt.id)) detected++
    }
    for (const d of f.detections) {
      if (d.gt !== null) continue
      fps++
      assert.ok(d.score >= 0.3 && d.score < 0.6, 'false positives score low')
    }
  }
  const missRate = 1 - detected / visible
  assert.ok(missRate > 0.14 && missRate < 0.16, `miss rate ${missRate.toFixed(3)} for missProb 0.15`)
  assert.ok(fps > 0.25 * frames.length && fps < 0.35 * frames.length, `${fps} false positives in ${frames.length} frames`)
  const gaps = frames.slice(1).map((f, i) => f.time - frames[i]!.time)
  assert.ok(Math.min(...gaps) < 170 && Math.max(...gaps) >= 360, `frame intervals vary and frames drop: ${Math.min(...gaps)}..${Math.max(...gaps)} ms`)
})

test('two people crossing (nearer face hides the other): 0 ID switches at 60-300 px/s, and for equal faces offset 25 px', () => {
  // Measured: 0 switches and 0 fragmentations in every variant, MOTA 0.92-0.98 (misses are the first frame of each track).
  for (const o of [{ speed: 60 }, {}, { speed: 200 }, { speed: 300 }, { sameSize: true, dy: 25 }, { dy: 0 }]) {
    const { sum } = runAll((s) => crossing(s, o))
    assert.is(sum.idSwitches, 0, `${JSON.stringify(o)}: ${fmt(sum)}`)
    assert.is(sum.trackIds, sum.identities, 'one track per person')
  }
  // Same again with 15% missed detections, 5% jitter, false positives and dropped frames. Measured: 0 switches.
  const { sum } = runAll((s) => ({ ...crossing(s), missProb: 0.15, jitter: 0.05, fpPerFrame: 0.3, dropProb: 0.1 }))
  assert.is(sum.idSwitches, 0, fmt(sum))
})

test('equal faces crossing on one line swap momentarily on geometry alone; the appearance hook removes it', () => {
  // Two identical boxes on the same line overlap completely: IoU cannot tell them apart (measured: 10
  // switches over 20 seeds, each a swap and swap back). An appearance cost (here the identity the
  // simulator knows, standing in for an embedding distance) fixes it.
  const scene = (s: number): SceneSpec => crossing(s, { sameSize: true, dy: 0 })
  const plain = runAll(scene).sum
  assert.ok(plain.idSwitches > 0, 'the geometric ambiguity is real')
  const withAppearance = SEEDS.map((seed) => {
    const tr = new Tracker()
    const shown = new Map<string, number | null>()
    const wrapped: FrameTracker = {
      update(time, detections) {
        const dets = detections as SimDetection[]
        const extraCost: ExtraCost = (track, det) => {
          const who = shown.get(track.id)
          return who === undefined ? 0 : who === (det as SimDetection).gt ? -0.2 : 0.5
        }
        const out = tr.update(time, dets, { extraCost })
        for (const t of tr.tracks()) if (t.detection !== null) shown.set(t.id, dets[t.detection]!.gt)
        return out
      },
    }
    return trackScene(simulate(scene(seed)), wrapped)
  })
  const sum = sumMetrics(withAppearance)
  assert.is(sum.idSwitches, 0, fmt(sum))
})

test('five people, 15% missed detections, jitter, false positives, dropped frames: few ID switches, MOTA >= 0.8', () => {
  // Measured (20 x 20 s): 19 switches in 9,367 GT boxes (0.20 per 100; worst seed 1.08), MOTA 0.819 (worst
  // seed 0.79), 103 track ids for 100 people. The misses are mostly the detector's 15%: by default only tracks
  // matched in the frame are output. Coasting lost tracks for 450 ms (emitLostMs) gives MOTA 0.946.
  const { sum, runs } = runAll((s) => crowd(s))
  assert.ok(per100(sum) <= 0.5, `ID switches per 100 GT boxes ${per100(sum).toFixed(2)}: ${fmt(sum)}`)
  assert.ok(worst(runs, per100) <= 1.5, `worst seed ${worst(runs, per100).toFixed(2)} switches per 100`)
  assert.ok(sum.mota >= 0.8, fmt(sum))
  assert.ok(-worst(runs, (m) => -m.mota) >= 0.75, 'every seed MOTA >= 0.75')
  assert.ok(sum.trackIds <= 1.15 * sum.identities, `${sum.trackIds} track ids for ${sum.identities} people`)
  const coasting = runAll((s) => crowd(s), { emitLostMs: 450 }).sum
  assert.ok(coasting.mota >= 0.9 && coasting.idSwitches <= sum.idSwitches, `coasting: ${fmt(coasting)}`)
})

test('a face hidden behind a pillar for 1 s (and 1.5 s) comes back with the same id; after lostMs it does not', () => {
  // Measured: same id in every seed; at most 1 fragmentation (a partly visible, low-score reappearance
  // that does not overlap the prediction enough): 5 in 20 seeds at 1 s, 8 at 1.5 s.
  for (const hideMs of [1000, 1500]) {
    for (const seed of SEEDS) {
      const ev = new MotEvaluator()
      const m = trackScene(simulate(occlusion(seed, { hideMs })), new Tracker(), ev)
      assert.equal(ev.tracksOf(1).length, 1, `${hideMs} ms, seed ${seed}: ${ev.tracksOf(1).join(', ')}`)
      assert.is(m.idSwitches, 0)
      assert.ok(m.fragmentations <= 1, fmt(m))
    }
  }
  const ev = new MotEvaluator()
  trackScene(simulate(occlusion(1, { hideMs: 3000 })), new Tracker(), ev)
  assert.is(ev.tracksOf(1).length, 2, 'hidden longer than lostMs (2 s): a new track')
})

test('low-score detections keep tracks through partial occlusion: fewer fragmentations than without the second stage', () => {
  // Measured: with the second stage 0 switches, 139 fragmentations, MOTA 0.921; without: 18 switches,
  // 339 fragmentations, MOTA 0.665.
  const on = runAll(lowScore).sum
  const off = runAll(lowScore, { secondStage: false }).sum
  assert.ok(on.fragmentations <= 0.5 * off.fragmentations, `with: ${fmt(on)}; without: ${fmt(off)}`)
  assert.ok(on.idSwitches <= off.idSwitches && on.misses < off.misses && on.mota >= 0.9)
})

test('irregular frame intervals and 30% dropped frames: few switches; motion matching is what makes it work', () => {
  // Measured: 13 switches in 5,573 GT boxes (0.23 per 100), MOTA 0.867; IoU-only matching (motionGate 0): 64 switches.
  const { sum, runs } = runAll(dropped)
  assert.ok(per100(sum) <= 0.5 && sum.mota >= 0.8, fmt(sum))
  assert.ok(-worst(runs, (m) => -m.mota) >= 0.75)
  const iouOnly = runAll(dropped, { motionGate: 0 }).sum
  assert.ok(sum.idSwitches <= 0.5 * iouOnly.idSwitches, `with motion matching ${sum.idSwitches}, IoU only ${iouOnly.idSwitches}`)
})

test.run()
