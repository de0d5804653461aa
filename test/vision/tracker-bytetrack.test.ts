import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Tracker, type Detection, type TrackSnapshot } from '../../src/vision/tracker/index.js'
import { simulate } from '../../src/vision/tracker/sim.js'
import { crowd } from '../../src/vision/tracker/scenarios.js'
import type { Box } from '../../src/vision/nms.js'

/** A 60x75 face at x, y (top-left). */
const face = (x: number, y: number, score = 0.9): Detection => ({ box: [x, y, x + 60, y + 75], score })
const ids = (s: TrackSnapshot[]): string[] => s.map((t) => t.id)

test('a track is tentative on its first frame, confirmed with its second hit, then followed', () => {
  const tr = new Tracker()
  assert.equal(tr.update(0, [face(100, 100)]), [], 'nothing confirmed yet')
  assert.equal(tr.tracks().map((t) => [t.id, t.state, t.hits]), [['trk-1', 'tentative', 1]])
  const out = tr.update(200, [face(500, 500), face(110, 100)])
  assert.equal(ids(out), ['trk-1'])
  const t = out[0]!
  assert.is(t.state, 'confirmed')
  assert.is(t.detection, 1, 'index of the matched detection in this frame')
  assert.is(t.hits, 2)
  assert.is(t.age, 2)
  assert.is(t.bornMs, 0)
  assert.is(t.sinceUpdateMs, 0)
  assert.ok(t.box[0] > 100 && t.box[0] <= 110, `filtered box between the two measurements: ${t.box[0]}`)
  // The lone detection at (500, 500) started its own tentative track.
  assert.equal(tr.tracks().map((s) => [s.id, s.state]), [['trk-1', 'confirmed'], ['trk-2', 'tentative']])
  for (let i = 2; i < 10; i++) assert.equal(ids(tr.update(200 * i, [face(100 + 10 * i, 100)])), ['trk-1'])
  const [vx, vy] = tr.tracks()[0]!.velocity
  assert.ok(Math.abs(vx - 50) < 5 && Math.abs(vy) < 5, `velocity ~ (50, 0) px/s: ${vx}, ${vy}`)
})

test('a tentative track that misses is removed; confirmHits 1 confirms at once', () => {
  const tr = new Tracker()
  tr.update(0, [face(100, 100)])
  assert.equal(tr.update(200, []), [])
  assert.equal(tr.tracks(), [])
  assert.equal(tr.removed().map((t) => [t.id, t.state]), [['trk-1', 'removed']])
  const eager = new Tracker({ confirmHits: 1 })
  assert.equal(ids(eager.update(0, [face(100, 100)])), ['trk-1'])
})

test('lost tracks are kept for lostMs of frame time, whatever the frame rate', () => {
  for (const fps of [2, 5, 25]) {
    const tr = new Tracker()
    tr.update(0, [face(100, 100)])
    tr.update(1000 / fps, [face(100, 100)])
    const lastSeen = 1000 / fps
    let removedAt = -1
    for (let t = lastSeen + 1000 / fps; t <= 5000 && removedAt < 0; t += 1000 / fps) {
      const out = tr.update(t, [])
      assert.equal(out, [], 'a lost track is not output by default')
      const live = tr.tracks()
      if (live.length > 0) {
        assert.is(live[0]!.state, 'lost')
        assert.is(live[0]!.sinceUpdateMs, t - lastSeen)
      } else {
        removedAt = t
        assert.is(tr.removed()[0]!.id, 'trk-1')
      }
    }
    assert.ok(removedAt - lastSeen > 2000 && removedAt - lastSeen <= 2000 + 1000 / fps, `${fps} fps: removed ${removedAt - lastSeen} ms after its last match`)
  }
})

test('a lost track comes back with its id, even after a frame gap it moved through', () => {
  const tr = new Tracker()
  for (let i = 0; i < 5; i++) tr.update(200 * i, [face(100 + 40 * i, 100)]) // 200 px/s
  tr.update(1000, []) // missed
  const back = tr.update(2200, [face(100 + 40 * 11, 100)]) // 1.2 s later (dropped frames), 240 px further
  assert.equal(ids(back), ['trk-1'])
})

test('low-score detections keep a track alive (stage 2) but never start one; below `low` they are ignored', () => {
  const run = (secondStage: boolean): string[][] => {
    const tr = new Tracker({ secondStage })
    const out: string[][] = []
    out.push(ids(tr.update(0, [face(100, 100)])))
    out.push(ids(tr.update(200, [face(105, 100)])))
    for (let i = 2; i < 6; i++) out.push(ids(tr.update(200 * i, [face(100 + 5 * i, 100, 0.4), face(600, 300, 0.5)])))
    out.push(ids(tr.update(1200, [face(130, 100, 0.2)])))
    return out
  }
  assert.equal(run(true), [[], ['trk-1'], ['trk-1'], ['trk-1'], ['trk-1'], ['trk-1'], []])
  assert.equal(run(false), [[], ['trk-1'], [], [], [], [], []], 'without the second stage the track is lost at once')
})

test('recently lost tracks also take low-score detections back (lowRecoverMs), unlike plain ByteTrack', () => {
  const run = (lowRecoverMs: number): string[] => {
    const tr = new Tracker({ lowRecoverMs })
    tr.update(0, [face(100, 100)])
    tr.update(200, [face(100, 100)])
    tr.update(400, []) // missed: lost
    return ids(tr.update(600, [face(100, 100, 0.45)])) // back, blurred
  }
  assert.equal(run(2000), ['trk-1'])
  assert.equal(run(0), [])
})

test('emitLostMs returns a briefly lost track with its predicted box and no detection', () => {
  const tr = new Tracker({ emitLostMs: 300 })
  for (let i = 0; i < 4; i++) tr.update(200 * i, [face(100 + 20 * i, 100)])
  const coast = tr.update(800, [])
  assert.equal(coast.map((t) => [t.id, t.state, t.detection]), [['trk-1', 'lost', null]])
  assert.ok(coast[0]!.box[0] > 160, 'predicted forward')
  assert.equal(tr.update(1000, []), [], 'not past emitLostMs (400 ms since its last match)')
  assert.is(tr.tracks()[0]!.state, 'lost', 'still kept')
})

test('the extra cost hook can decide between two equally overlapping detections, or forbid a pair', () => {
  const base = (): Tracker => {
    const tr = new Tracker()
    tr.update(0, [face(100, 100)])
    tr.update(200, [face(100, 100)])
    return tr
  }
  const twins = [face(90, 100), face(110, 100)]
  const seen: Array<[string, number]> = []
  const tr = base()
  const out = tr.update(400, twins, {
    extraCost: (track, det, i) => {
      seen.push([track.id, i])
      assert.is(det, twins[i])
      return i === 1 ? -0.1 : 0.1 // detection 1 looks like this track
    },
  })
  assert.is(out[0]!.detection, 1)
  assert.equal(seen, [['trk-1', 0], ['trk-1', 1]])
  const forbidden = new Tracker({ extraCost: () => Infinity })
  forbidden.update(0, [face(100, 100)])
  assert.equal(forbidden.update(200, [face(100, 100)]), [], 'a tentative track cannot match a forbidden pair')
})

test('reset forgets tracks but never reuses ids; bad input is handled', () => {
  const tr = new Tracker({ confirmHits: 1 })
  tr.update(1000, [face(0, 0), face(300, 0)])
  tr.reset()
  assert.equal(tr.tracks(), [])
  assert.equal(ids(tr.update(0, [face(0, 0)])), ['trk-3'], 'time may restart after reset')
  assert.throws(() => tr.update(-1, []), /went back/)
  assert.throws(() => tr.update(NaN, []), /bad frame time/)
  const bad: Box[] = [[10, 10, 5, 50], [NaN, 0, 10, 10], [0, 0, 0, 0]]
  const out = tr.update(200, [...bad.map((box) => ({ box, score: 0.9 })), face(0, 0)])
  assert.equal(out.map((t) => [t.id, t.detection]), [['trk-3', 3]], 'empty or non-finite boxes are skipped, indices kept')
  assert.equal(tr.tracks().length, 1)
  assert.throws(() => new Tracker({ low: 0.7, high: 0.6 }), /low/)
  assert.throws(() => new Tracker({ matchIou: 0 }), /IoU gates/)
})

test('pure and deterministic: the same frames give the same output', () => {
  const frames = simulate(crowd(3, { durationMs: 5000 }))
  const run = (): TrackSnapshot[][] => {
    const tr = new Tracker()
    return frames.map((f) => tr.update(f.time, f.detections))
  }
  assert.equal(run(), run())
})

test.run()
