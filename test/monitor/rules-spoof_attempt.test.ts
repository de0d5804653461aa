import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import { createRule, createRuleContext, type RuleInstance, type SeenFace } from '../../src/monitor/rules/index.js'
import { checkinVenue } from './fixtures.js'

const ctx = createRuleContext(await checkinVenue()) // cam-b sees checkin, cam-a the corridor
const T0 = Date.UTC(2024, 4, 1, 2)

const face = (dt: number, liveness: number | null, extra: Partial<SeenFace> = {}): SeenFace => ({
  camera: 'cam-b',
  trackId: 'k1',
  subject: 'sub-aaaa1111',
  score: 0.8,
  liveness,
  quality: 0.9,
  floor: [15, 5],
  zone: 'checkin',
  at: T0 + dt,
  ...extra,
})

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'sp', kind: 'spoof_attempt', severity: 'high', liveness_min: 0.5, ...extra }), ctx)!

/** Feed faces, each at its own capture time. */
const feed = (rule: RuleInstance, faces: SeenFace[]) => faces.flatMap((f) => rule.onSighting!(f, f.at))

test('3 of the last 5 frames below liveness_min raise one finding naming the claimed subject', () => {
  const rule = make()
  const out = feed(rule, [face(0, 0.9), face(100, 0.2), face(200, 0.8), face(300, 0.1), face(400, 0.3), face(500, 0.1), face(600, 0.1)])
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'spoof_attempt')
  assert.is(f.severity, 'high')
  assert.equal(f.subjects, ['sub-aaaa1111'])
  assert.is(f.zone, 'checkin')
  assert.equal(f.floor, [15, 5])
  assert.equal(f.cameras, ['cam-b'])
  assert.is(f.at, T0 + 400)
  assert.is(f.since, T0 + 100) // the first low frame of the window
  assert.is(f.dedupKey, 'sp|sub-aaaa1111|checkin|cam-b')
})

test('normal: live faces, isolated low frames, or low frames outside check-in raise nothing', () => {
  const rule = make()
  const live = [0, 100, 200, 300, 400, 500].map((dt) => face(dt, 0.95))
  // One low frame in every window of 5: at most 2 of any 5 consecutive frames.
  const sparse = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => face(1000 + i * 100, i % 3 === 0 ? 0.1 : 0.9, { trackId: 'k2' }))
  const corridor = [0, 1, 2, 3, 4].map((i) => face(3000 + i * 100, 0.1, { camera: 'cam-a', trackId: 'k3', zone: 'corridor', floor: [5, 5] }))
  assert.equal(feed(rule, [...live, ...sparse, ...corridor]), [])
})

test('without a zone the camera zones decide; an unrecognised face is named "unknown"', () => {
  const rule = make()
  const noZone = { zone: null, floor: null, subject: 'unknown' }
  const out = feed(rule, [0, 100, 200].map((dt) => face(dt, 0.1, noZone)))
  assert.is(out.length, 1)
  assert.equal(out[0]!.subjects, ['unknown'])
  assert.is(out[0]!.zone, 'checkin')
  assert.is(out[0]!.dedupKey, 'sp|unknown|checkin|cam-b')
  const corridorCam = feed(make(), [0, 100, 200].map((dt) => face(dt, 0.1, { ...noZone, camera: 'cam-a' })))
  assert.equal(corridorCam, [])
})

test('null liveness is no evidence; frames option counts within max(frames, 5)', () => {
  assert.equal(feed(make(), [0, 100, 200, 300, 400, 500].map((dt) => face(dt, null))), [])
  const rule = make({ frames: 6 }) // window of 6: needs all six low
  const five = feed(rule, [face(0, 0.9), ...[100, 200, 300, 400, 500].map((dt) => face(dt, 0.1))])
  assert.equal(five, [])
  const six = feed(rule, [face(600, 0.1)])
  assert.is(six.length, 1)
  assert.is(six[0]!.since, T0 + 100)
})

test('once per camera track; another camera or track fires on its own; memory expires after 30 s', () => {
  const rule = make()
  const lows = (dt: number, extra: Partial<SeenFace> = {}) => [0, 100, 200, 300].map((d) => face(dt + d, 0.1, extra))
  assert.is(feed(rule, lows(0)).length, 1)
  assert.is(feed(rule, lows(1000)).length, 0) // same track, still remembered
  assert.is(feed(rule, lows(1000, { trackId: 'k9' })).length, 1)
  assert.equal(rule.onTick!(T0 + 20000), [])
  assert.is(feed(rule, lows(25000)).length, 0) // 23.7 s since the last frame: still the same track
  assert.equal(rule.onTick!(T0 + 25300 + 30001), [])
  assert.is(feed(rule, lows(60000)).length, 1) // forgotten: a new track with the same id
})

test('enabled: false raises nothing', () => {
  const off = make({ enabled: false })
  assert.is(off.onSighting, undefined)
  assert.is(off.onTick, undefined)
})

test.run()
