import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { checkinVenue, track } from './fixtures.js'

// Gate g1 at [10, 5] leads from corridor (outside) into checkin (inside).
const ctx = createRuleContext(await checkinVenue())
const T0 = Date.UTC(2024, 4, 1, 2)
const EXPERT = 'sub-aaaa1111'
const STAFF = 'sub-ssss0001'
const STRANGER = 'sub-zzzz9999' // recognised, but on no project and not staff

const out_ = (id: string, subject = 'unknown', camera = 'cam-a'): PersonTrack => track({ id, subject, zone: 'corridor', floor: [9, 5], cameras: [camera] }, T0)
const in_ = (id: string, subject = 'unknown', camera = 'cam-b'): PersonTrack => track({ id, subject, zone: 'checkin', floor: [11, 5], cameras: [camera] }, T0)

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'tg', kind: 'tailgating', severity: 'high', gate: 'g1', window_s: 5, ...extra }), ctx)!

test('an unknown person through the gate right after a verified expert raises one finding at once', () => {
  const rule = make()
  const out = [
    rule.onTracks!([out_('t-e', EXPERT), out_('t-u')], T0),
    rule.onTracks!([in_('t-e', EXPERT), out_('t-u')], T0 + 1000),
    rule.onTracks!([in_('t-e', EXPERT), in_('t-u', 'unknown', 'cam-c')], T0 + 3000),
    rule.onTracks!([in_('t-e', EXPERT), in_('t-u')], T0 + 4000),
  ].flat()
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'tailgating')
  assert.is(f.severity, 'high')
  assert.equal(f.subjects, [EXPERT, 'unknown'])
  assert.is(f.zone, 'checkin')
  assert.equal(f.floor, [10, 5])
  assert.equal(f.cameras, ['cam-b', 'cam-c'])
  assert.is(f.title, '2 people through gate g1 with 1 verified check-in')
  assert.is(f.at, T0 + 3000)
  assert.is(f.since, T0 + 3000)
  assert.is(f.dedupKey, `tg|${EXPERT},unknown|checkin`)
})

test('normal: verified experts and staff through the gate, and people going out, raise nothing', () => {
  const rule = make()
  const out = [
    rule.onTracks!([out_('t-e', EXPERT), out_('t-s', STAFF), in_('t-u')], T0),
    rule.onTracks!([in_('t-e', EXPERT), in_('t-s', STAFF), out_('t-u')], T0 + 1000), // t-u goes out
    rule.onTracks!([in_('t-e', EXPERT), in_('t-s', STAFF), out_('t-u')], T0 + 2000),
  ].flat()
  assert.equal(out, [])
})

test('an unverified crossing alone fires; one outside the window lists only itself', () => {
  const rule = make()
  rule.onTracks!([out_('t-e', EXPERT), out_('t-x', STRANGER)], T0)
  assert.equal(rule.onTracks!([in_('t-e', EXPERT), out_('t-x', STRANGER)], T0 + 1000), [])
  const late = rule.onTracks!([in_('t-e', EXPERT), in_('t-x', STRANGER)], T0 + 6001) // 5.001 s later
  assert.is(late.length, 1)
  assert.equal(late[0]!.subjects, [STRANGER])
  assert.is(late[0]!.title, '1 person through gate g1 with 0 verified check-ins')
})

test('two unknowns in one update give one finding each, listing both crossings', () => {
  const rule = make()
  rule.onTracks!([out_('t-1'), out_('t-2')], T0)
  const out = rule.onTracks!([in_('t-1'), in_('t-2')], T0 + 500)
  assert.is(out.length, 2)
  assert.equal(out[0]!.subjects, ['unknown'])
  assert.is(out[0]!.title, '2 people through gate g1 with 0 verified check-ins')
})

test('a gap in the zone keeps the last known zone; a track gone from the list is forgotten', () => {
  const rule = make()
  rule.onTracks!([out_('t-1'), out_('t-2')], T0)
  rule.onTracks!([{ ...out_('t-1'), zone: null }], T0 + 500) // t-1 between zones; t-2 gone
  const out = rule.onTracks!([in_('t-1'), in_('t-2')], T0 + 1000)
  assert.is(out.length, 1) // t-1 crossed; t-2 is a new track that appeared inside
  assert.is(out[0]!.title, '1 person through gate g1 with 0 verified check-ins')
  // A track appearing inside or coming from another zone is no crossing.
  assert.equal(make().onTracks!([in_('t-3')], T0), [])
  const viaRoom = make()
  viaRoom.onTracks!([track({ id: 't-4', zone: 'room-1', floor: [25, 5] }, T0)], T0)
  assert.equal(viaRoom.onTracks!([in_('t-4')], T0 + 1000), [])
})

test('a gate missing from the venue gives a rule with no hooks; enabled: false raises nothing', () => {
  const noDoor = make({ gate: 'nope' })
  assert.is(noDoor.onTracks, undefined)
  assert.is(noDoor.enabled, true)
  assert.is(make({ enabled: false }).onTracks, undefined)
})

test.run()
