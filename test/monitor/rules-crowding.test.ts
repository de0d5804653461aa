import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { CROWDING_END_AFTER_MS } from '../../src/monitor/rules/crowding.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { checkinVenue, track } from './fixtures.js'

const ctx = createRuleContext(await checkinVenue()) // checkin has capacity 3; corridor and room-1 none
const T0 = Date.UTC(2024, 4, 1, 2)

const person = (i: number, zone: string, floor: [number, number], camera = 'cam-b'): PersonTrack =>
  track({ id: `t-${i}`, zone, floor, cameras: [camera] }, T0)
/** n people in checkin, at x = 11..11+n-1, y = 5. */
const crowd = (n: number): PersonTrack[] => Array.from({ length: n }, (_, i) => person(i, 'checkin', [11 + i, 5], i === 0 ? 'cam-a' : 'cam-b'))

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'cr', kind: 'crowding', severity: 'low', ...extra }), ctx)!

test('more people than the zone capacity raises one finding per run', () => {
  const rule = make()
  const out = [
    rule.onTracks!(crowd(3), T0),
    rule.onTracks!(crowd(4), T0 + 1000),
    rule.onTracks!(crowd(5), T0 + 2000),
    rule.onTracks!(crowd(4), T0 + 3000),
  ].flat()
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'crowding')
  assert.is(f.severity, 'low')
  assert.equal(f.subjects, [])
  assert.is(f.zone, 'checkin')
  assert.equal(f.floor, [12.5, 5])
  assert.equal(f.cameras, ['cam-a', 'cam-b'])
  assert.ok(f.title.includes('4') && f.title.includes('limit 3'), f.title)
  assert.is(f.at, T0 + 1000)
  assert.is(f.since, T0 + 1000)
  assert.is(f.dedupKey, 'cr||checkin')
})

test('normal: at or under capacity, or crowds in zones without a capacity, raise nothing', () => {
  const rule = make()
  const elsewhere = Array.from({ length: 8 }, (_, i) => person(10 + i, i % 2 ? 'corridor' : 'room-1', [i % 2 ? 5 : 25, 5]))
  const out = [0, 1000, 60000].flatMap((dt) => rule.onTracks!([...crowd(3), ...elsewhere], T0 + dt))
  assert.equal(out, [])
})

test('hysteresis: a count wobbling on the limit stays one run; a new run needs 5 s at or under', () => {
  const rule = make()
  const at = (n: number, dt: number) => rule.onTracks!(crowd(n), T0 + dt)
  const wobble = [at(4, 0), at(3, 1000), at(4, 2000), at(3, 3000), at(3, 7000), at(4, 7500)].flat()
  assert.is(wobble.length, 1) // 4.5 s under at most before going over again
  assert.is(wobble[0]!.at, T0)
  const again = [at(3, 8000), at(2, 10000), at(4, 8000 + CROWDING_END_AFTER_MS), at(4, 14000)].flat()
  assert.is(again.length, 1) // under from 8 s, over again at 13 s: a new run
  assert.is(again[0]!.at, T0 + 8000 + CROWDING_END_AFTER_MS)
})

test('maxPeople watches every selected zone, whatever its kind or capacity', () => {
  const rule = make({ maxPeople: 1 })
  const two = (zone: string, x: number) => [person(1, zone, [x, 4], 'cam-a'), person(2, zone, [x, 6], 'cam-a')]
  const out = rule.onTracks!([...two('corridor', 5), ...two('room-1', 25), person(3, 'checkin', [15, 5])], T0)
  assert.equal(out.map((f) => f.zone), ['corridor', 'room-1'])
  assert.equal(out[0]!.floor, [5, 5])
  const only = make({ maxPeople: 1, zones: ['room-1'] }).onTracks!([...two('corridor', 5), ...two('room-1', 25)], T0)
  assert.equal(only.map((f) => f.zone), ['room-1'])
})

test('zoneKinds without maxPeople keeps only zones with a capacity', () => {
  assert.equal(make({ zoneKinds: ['corridor'] }).onTracks!(Array.from({ length: 9 }, (_, i) => person(i, 'corridor', [5, 5])), T0), [])
  assert.is(make({ zoneKinds: ['checkin'] }).onTracks!(crowd(4), T0).length, 1)
})

test('enabled: false raises nothing', () => {
  assert.is(make({ enabled: false }).onTracks, undefined)
})

test.run()
