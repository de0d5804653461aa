import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { DEFAULT_LOITERING_KINDS } from '../../src/monitor/rules/loitering.js'
import { threeZoneVenue, track } from './fixtures.js'

const venue = await threeZoneVenue({ id: 'wc', kind: 'restroom' }, {
  sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
  projects: [{ id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
  staff: [{ subject: 'sub-host0001', role: 'host', zones: ['corridor'] }],
})
const ctx = createRuleContext(venue)
const T0 = Date.UTC(2024, 4, 1, 2)

const unknown = (zone: string | null, floor: [number, number], id = 't-1'): PersonTrack => track({ id, zone, floor, cameras: ['cam-a'] }, T0)
const host = (zone: string, floor: [number, number]): PersonTrack =>
  track({ id: 't-host', subject: 'sub-host0001', category: 'staff', zone, floor, cameras: ['cam-a'] }, T0)

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'loi', kind: 'loitering', severity: 'low', dwell_s: 60, ...extra }), ctx)!

test('unknown person staying >= dwell_s in the corridor raises one finding, on tick without new tracks', () => {
  const rule = make()
  const t = unknown('corridor', [5, 5])
  const out = [
    rule.onTracks!([t], T0),
    rule.onTracks!([t], T0 + 30000),
    rule.onTick!(T0 + 59000),
    rule.onTick!(T0 + 60000),
    rule.onTick!(T0 + 90000),
    rule.onTracks!([t], T0 + 120000),
  ].flat()
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'loitering')
  assert.is(f.severity, 'low')
  assert.equal(f.subjects, ['unknown'])
  assert.is(f.zone, 'corridor')
  assert.equal(f.floor, [5, 5])
  assert.equal(f.cameras, ['cam-a'])
  assert.is(f.at, T0 + 60000)
  assert.is(f.since, T0)
  assert.is(f.dedupKey, 'loi|unknown|corridor')
})

test('fires on new tracks too, and the restroom is watched by default', () => {
  const rule = make()
  const t = unknown('wc', [25, 5])
  const out = [0, 30000, 61000].flatMap((dt) => rule.onTracks!([t], T0 + dt))
  assert.is(out.length, 1)
  assert.is(out[0]!.zone, 'wc')
  assert.is(out[0]!.at, T0 + 61000)
  assert.is(out[0]!.since, T0)
})

test('normal: passing through, an unwatched zone, or a track that is gone raise nothing', () => {
  const rule = make()
  const out = [
    rule.onTracks!([unknown('corridor', [5, 5])], T0),
    rule.onTracks!([unknown('corridor', [9, 5])], T0 + 40000),
    rule.onTracks!([unknown('room-1', [15, 5])], T0 + 50000), // evaluation room: not loitering
    rule.onTick!(T0 + 200000),
    rule.onTracks!([unknown('wc', [25, 5])], T0 + 210000),
    rule.onTracks!([unknown('corridor', [5, 5])], T0 + 260000), // zone change restarts the dwell
    rule.onTick!(T0 + 300000),
    rule.onTracks!([], T0 + 310000), // gone
    rule.onTick!(T0 + 400000),
  ].flat()
  assert.equal(out, [])
})

test('staff are on rounds in their zones, but loiter in a zone they may not enter', () => {
  const rule = make()
  assert.equal([rule.onTracks!([host('corridor', [5, 5])], T0), rule.onTick!(T0 + 600000)].flat(), [])
  const out = [rule.onTracks!([host('wc', [25, 5])], T0 + 700000), rule.onTick!(T0 + 760000)].flat()
  assert.is(out.length, 1)
  assert.equal(out[0]!.subjects, ['sub-host0001'])
  assert.is(out[0]!.dedupKey, 'loi|sub-host0001|wc')
})

test('explicit zones and kinds override the defaults', () => {
  assert.equal([...DEFAULT_LOITERING_KINDS], ['corridor', 'entrance', 'exit', 'restroom'])
  const roomOnly = make({ zones: ['room-1'] })
  assert.equal([roomOnly.onTracks!([unknown('corridor', [5, 5])], T0), roomOnly.onTick!(T0 + 120000)].flat(), [])
  const out = [roomOnly.onTracks!([unknown('room-1', [15, 5], 't-2')], T0 + 130000), roomOnly.onTick!(T0 + 190000)].flat()
  assert.is(out.length, 1)
  assert.is(out[0]!.zone, 'room-1')
  const byKind = make({ zoneKinds: ['restroom'] })
  assert.equal([byKind.onTracks!([unknown('corridor', [5, 5])], T0), byKind.onTick!(T0 + 120000)].flat(), [])
})

test('enabled: false raises nothing; wrong_room keeps no onTick', () => {
  const off = make({ enabled: false })
  assert.is(off.onTracks, undefined)
  assert.is(off.onTick, undefined)
  assert.is(createRule(Rule.parse({ id: 'wr', kind: 'wrong_room', severity: 'low' }), ctx).onTick, undefined)
})

test.run()
