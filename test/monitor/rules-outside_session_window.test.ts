import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { createRule, createRuleContext, type RuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { threeZoneVenue, track } from './fixtures.js'

// Fixed day: 08:30-12:00 Asia/Shanghai, arrival window 30 min -> arrival 08:00 local.
const ctx = createRuleContext(
  await threeZoneVenue({ id: 'room-2', kind: 'evaluation_room' }, {
    date: '2024-05-01',
    sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
    projects: [{ id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
    staff: [{ subject: 'sub-host0001', role: 'host', zones: ['corridor'] }],
  }),
)
const ARRIVAL = Date.UTC(2024, 4, 1, 0, 0)
const END = Date.UTC(2024, 4, 1, 4, 0)

const expert = (zone: string | null, floor: [number, number], subject = 'sub-aaaa1111'): PersonTrack =>
  track({ id: `t-${subject}`, subject, category: 'expert', project: 'p1', zone, floor, cameras: ['cam-a'] }, ARRIVAL)

const make = (c: RuleContext = ctx, extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'osw', kind: 'outside_session_window', severity: 'medium', margin_s: 600, ...extra }), c)!

test('expert seen before the arrival window raises one finding at once', () => {
  const rule = make()
  const t = expert('corridor', [5, 5])
  const out = [-120000, -60000, -1000].flatMap((dt) => rule.onTracks!([t], ARRIVAL + dt))
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'outside_session_window')
  assert.is(f.severity, 'medium')
  assert.equal(f.subjects, ['sub-aaaa1111'])
  assert.is(f.zone, 'corridor')
  assert.equal(f.floor, [5, 5])
  assert.equal(f.cameras, ['cam-a'])
  assert.is(f.at, ARRIVAL - 120000)
  assert.is(f.since, ARRIVAL - 120000)
  assert.is(f.dedupKey, 'osw|sub-aaaa1111|corridor|early')
})

test('expert still in the venue after end + margin_s raises a late finding', () => {
  const rule = make()
  const t = expert('room-1', [15, 5])
  const out = [0, 600000, 601000, 700000].flatMap((dt) => rule.onTracks!([t], END + dt))
  assert.is(out.length, 1)
  assert.is(out[0]!.at, END + 601000)
  assert.is(out[0]!.dedupKey, 'osw|sub-aaaa1111|room-1|late')
})

test('normal: an expert inside [arrival, end + margin] raises nothing', () => {
  const rule = make()
  const out = [0, 30 * 60000, 3 * 3600000, 4 * 3600000, 4 * 3600000 + 600000].flatMap((dt) =>
    rule.onTracks!([expert('room-1', [15, 5])], ARRIVAL + dt),
  )
  assert.equal(out, [])
})

test('one finding per continuous presence: a track that is gone and comes back fires again', () => {
  const rule = make()
  const t = expert('corridor', [5, 5])
  const out = [
    rule.onTracks!([t], ARRIVAL - 600000),
    rule.onTracks!([{ ...t, zone: 'room-1', floor: [15, 5] }], ARRIVAL - 590000), // moving does not re-fire
    rule.onTracks!([], ARRIVAL - 500000),
    rule.onTracks!([t], ARRIVAL - 400000),
  ]
  assert.equal(out.map((x) => x.length), [1, 0, 0, 1])
})

test('staff, unknowns and people not on the roster are not this rule', () => {
  const rule = make()
  const others: PersonTrack[] = [
    track({ id: 't-host', subject: 'sub-host0001', category: 'staff', zone: 'corridor', floor: [5, 5] }, ARRIVAL),
    track({ id: 't-u', zone: 'corridor', floor: [6, 5] }, ARRIVAL),
    track({ id: 't-o', subject: 'sub-zzzz9999', category: 'other', zone: 'corridor', floor: [7, 5] }, ARRIVAL),
  ]
  assert.equal([ARRIVAL - 3600000, END + 3600000].flatMap((now) => rule.onTracks!(others, now)), [])
})

test('a "today" roster with an overnight session: after midnight is still in the window; later is late, evening early', async () => {
  const night = createRuleContext(
    await threeZoneVenue({ id: 'room-2', kind: 'evaluation_room' }, {
      sessions: [{ id: 'night', start: '22:00', end: '02:00' }],
      projects: [{ id: 'p1', session: 'night', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
    }),
  )
  const t = expert('room-1', [15, 5])
  assert.equal(make(night).onTracks!([t], Date.UTC(2024, 4, 1, 17)), []) // 01:00 local on May 2
  const late = make(night).onTracks!([t], Date.UTC(2024, 4, 1, 19)) // 03:00 local
  assert.equal(late.map((f) => f.dedupKey), ['osw|sub-aaaa1111|room-1|late'])
  const early = make(night).onTracks!([t], Date.UTC(2024, 4, 2, 12)) // 20:00 local, arrival 21:30
  assert.equal(early.map((f) => f.dedupKey), ['osw|sub-aaaa1111|room-1|early'])
  assert.equal(make(night).onTracks!([t], Date.UTC(2024, 4, 2, 13, 30)), []) // 21:30 local
})

test('enabled: false raises nothing', () => {
  assert.is(make(ctx, { enabled: false }).onTracks, undefined)
})

test.run()
