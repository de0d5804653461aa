import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { threeZoneVenue, track } from './fixtures.js'

const venue = await threeZoneVenue({ id: 'room-2', kind: 'evaluation_room' }, {
    sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
    projects: [
      { id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] },
      { id: 'p2', session: 'am', rooms: ['room-2'], experts: ['sub-bbbb2222'] },
    ],
})
const ctx = createRuleContext(venue)
const T0 = Date.UTC(2024, 4, 1, 2)

const expert = (subject: string, project: string, zone: string | null, floor: [number, number]): PersonTrack =>
  track({ id: `t-${subject}`, subject, category: 'expert', project, zone, floor, cameras: ['cam-c'] }, T0)

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'wr', kind: 'wrong_room', severity: 'medium', grace_s: 5, ...extra }), ctx)!

test('expert in another project room for >= grace_s raises one finding', () => {
  const rule = make()
  const t = expert('sub-aaaa1111', 'p1', 'room-2', [25, 5])
  const out = [0, 2000, 4000, 5000, 6000, 9000].flatMap((dt) => rule.onTracks!([t], T0 + dt))
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'wrong_room')
  assert.is(f.severity, 'medium')
  assert.equal(f.subjects, ['sub-aaaa1111'])
  assert.is(f.zone, 'room-2')
  assert.is(f.at, T0 + 5000)
  assert.is(f.dedupKey, 'wr|sub-aaaa1111|room-2')
})

test('normal: expert in own room raises nothing', () => {
  const rule = make()
  const t = expert('sub-aaaa1111', 'p1', 'room-1', [15, 5])
  assert.equal([0, 5000, 60000].flatMap((dt) => rule.onTracks!([t], T0 + dt)), [])
})

test('normal: expert stays only 2 s in the wrong room (grace 5 s) raises nothing', () => {
  const rule = make()
  const wrong = expert('sub-aaaa1111', 'p1', 'room-2', [25, 5])
  const back = expert('sub-aaaa1111', 'p1', 'corridor', [5, 5])
  const out = [
    rule.onTracks!([wrong], T0),
    rule.onTracks!([wrong], T0 + 2000),
    rule.onTracks!([back], T0 + 2500),
    rule.onTracks!([back], T0 + 10000),
    rule.onTracks!([wrong], T0 + 11000),
    rule.onTracks!([wrong], T0 + 13000),
  ].flat()
  assert.equal(out, [])
})

test('enabled: false raises nothing', () => {
  assert.is(make({ enabled: false }).onTracks, undefined)
})

test.run()
