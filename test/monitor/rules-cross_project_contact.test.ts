import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { square, testVenue } from '../helpers/venue.js'

const venue = await testVenue({
  roster: {
    sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
    projects: [
      { id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111', 'sub-cccc3333'] },
      { id: 'p2', session: 'am', rooms: ['room-1'], experts: ['sub-bbbb2222'] },
    ],
  },
})
const ctx = createRuleContext(venue)
const T0 = Date.UTC(2024, 4, 1, 2)

const expert = (subject: string, project: string, floor: [number, number], cameras = ['cam-a']): PersonTrack => ({
  id: `t-${subject}`,
  subject,
  category: 'expert',
  project,
  zone: 'corridor',
  floor,
  cameras,
  lastSeenAt: new Date(T0).toISOString(),
})

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'xp', kind: 'cross_project_contact', severity: 'high', distance_m: 2, duration_s: 5, ...extra }), ctx)!

test('experts of different projects within 2 m for 5 s raise one finding', () => {
  const rule = make()
  const b = expert('sub-bbbb2222', 'p2', [4, 4], ['cam-a'])
  const a = expert('sub-aaaa1111', 'p1', [5, 5], ['cam-b'])
  const out = [0, 1000, 3000, 5000, 7000].flatMap((dt) => rule.onTracks!([b, a], T0 + dt))
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'cross_project_contact')
  assert.equal(f.subjects, ['sub-aaaa1111', 'sub-bbbb2222'])
  assert.is(f.zone, 'corridor')
  assert.equal(f.floor, [4.5, 4.5])
  assert.equal(f.cameras, ['cam-a', 'cam-b'])
  assert.is(f.at, T0 + 5000)
  assert.is(f.dedupKey, 'xp|sub-aaaa1111,sub-bbbb2222|corridor')
})

test('normal: same project close together, or different projects far apart or briefly close, raise nothing', () => {
  const rule = make()
  const a = expert('sub-aaaa1111', 'p1', [5, 5])
  const c = expert('sub-cccc3333', 'p1', [5, 6]) // same project, 1 m
  const bFar = expert('sub-bbbb2222', 'p2', [1, 1]) // ~5.7 m from a
  const bNear = expert('sub-bbbb2222', 'p2', [5, 4])
  const out = [
    rule.onTracks!([a, c, bFar], T0),
    rule.onTracks!([a, c, bFar], T0 + 10000),
    rule.onTracks!([a, c, bNear], T0 + 11000),
    rule.onTracks!([a, c, bNear], T0 + 14000), // 3 s close
    rule.onTracks!([a, c, bFar], T0 + 15000), // apart again: timer resets
    rule.onTracks!([a, c, bNear], T0 + 16000),
    rule.onTracks!([a, c, bNear], T0 + 19000),
  ].flat()
  assert.equal(out, [])
})

test('enabled: false raises nothing', () => {
  assert.is(make({ enabled: false }).onTracks, undefined)
})

test('two projects gone into the same zone no camera sees, through its door, for >= duration_s', async () => {
  // a restroom at x 20-30 behind room-1, door at [20, 5]; no camera sees it
  const v = await testVenue({
    floor: {
      width_m: 30,
      height_m: 10,
      zones: [
        { id: 'corridor', kind: 'corridor', polygon: square(0, 0, 10, 10) },
        { id: 'room-1', kind: 'evaluation_room', polygon: square(10, 0, 10, 10) },
        { id: 'wc', kind: 'restroom', polygon: square(20, 0, 10, 10) },
      ],
      doors: [{ id: 'd-wc', between: ['room-1', 'wc'], at: [20, 5] }],
    },
    roster: venue.roster,
  })
  const c = createRuleContext(v)
  assert.equal(c.unseenDoors(), [{ zone: 'wc', at: [20, 5] }])
  const rule = createRule(Rule.parse({ id: 'cp', kind: 'cross_project_contact', severity: 'high', distance_m: 2, duration_s: 5 }), c)
  const a = expert('sub-aaaa1111', 'p1', [19, 3])
  const b = expert('sub-bbbb2222', 'p2', [19, 6.5])
  const far = expert('sub-bbbb2222', 'p2', [12, 8])
  // normal: one goes in, the other walks out of sight far from the door
  assert.equal([rule.onTracks!([a, far], T0), rule.onTracks!([], T0 + 1000), rule.onTracks!([], T0 + 20_000)].flat(), [])
  // both seen at the door (more than 2 m apart), then neither: together inside from the later one
  const out = [rule.onTracks!([a, b], T0 + 30_000), rule.onTracks!([b], T0 + 31_000), rule.onTracks!([], T0 + 32_000), rule.onTracks!([], T0 + 36_000), rule.onTracks!([], T0 + 37_000), rule.onTracks!([], T0 + 40_000)].flat()
  assert.is(out.length, 1)
  assert.is(out[0]!.zone, 'wc')
  assert.equal(out[0]!.subjects, ['sub-aaaa1111', 'sub-bbbb2222'])
  assert.equal(out[0]!.floor, [20, 5])
  assert.is(out[0]!.since, T0 + 31_000)
  assert.is(out[0]!.at, T0 + 36_000)
  // one comes out: they are no longer together
  assert.equal(rule.onTracks!([a], T0 + 41_000), [])
})

test.run()
