import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { threeZoneVenue, track } from './fixtures.js'

const venue = await threeZoneVenue({ id: 'room-2', kind: 'evaluation_room' }, {
  sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
  projects: [
    { id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111', 'sub-cccc3333'] },
    { id: 'p2', session: 'am', rooms: ['room-2'], experts: ['sub-bbbb2222'] },
  ],
  staff: [
    { subject: 'sub-host0001', role: 'host', zones: ['corridor'] },
    { subject: 'sub-clean001', role: 'cleaner', zones: ['corridor', 'room-1'] },
  ],
})
const ctx = createRuleContext(venue)
const T0 = Date.UTC(2024, 4, 1, 2)

const expert = (subject: string, project: string, zone: string | null, floor: [number, number]): PersonTrack =>
  track({ id: `t-${subject}`, subject, category: 'expert', project, zone, floor, cameras: ['cam-c'] }, T0)
const unknown = (id: string, zone: string | null, floor: [number, number]): PersonTrack => track({ id, zone, floor, cameras: ['cam-b'] }, T0)
const person = (subject: string, category: PersonTrack['category'], zone: string | null, floor: [number, number]): PersonTrack =>
  track({ id: `t-${subject}`, subject, category, zone, floor, cameras: ['cam-b'] }, T0)

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'eu', kind: 'expert_with_unauthorised', severity: 'high', distance_m: 1.5, duration_s: 5, ...extra }), ctx)!

test('expert next to an unknown person for >= duration_s raises one finding', () => {
  const rule = make()
  const a = expert('sub-aaaa1111', 'p1', 'room-1', [15, 5])
  const u = unknown('t-u1', 'room-1', [15.5, 5.5])
  const out = [0, 1000, 3000, 5000, 7000, 20000].flatMap((dt) => rule.onTracks!([u, a], T0 + dt))
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'expert_with_unauthorised')
  assert.is(f.severity, 'high')
  assert.equal(f.subjects, ['sub-aaaa1111', 'unknown'])
  assert.is(f.zone, 'room-1')
  assert.equal(f.floor, [15.25, 5.25])
  assert.equal(f.cameras, ['cam-b', 'cam-c'])
  assert.is(f.at, T0 + 5000)
  assert.is(f.since, T0)
  assert.is(f.dedupKey, 'eu|sub-aaaa1111,unknown|room-1')
})

test('normal: experts together, staff in their zones, unknowns far away or briefly close raise nothing', () => {
  const rule = make()
  const a = expert('sub-aaaa1111', 'p1', 'room-1', [15, 5])
  const c = expert('sub-cccc3333', 'p1', 'room-1', [15, 6]) // same project
  const b = expert('sub-bbbb2222', 'p2', 'room-1', [14, 5]) // other project: cross_project_contact's business
  const cleaner = person('sub-clean001', 'staff', 'room-1', [16, 5]) // may enter room-1
  const far = unknown('t-u1', 'room-1', [17, 5]) // 2 m
  const near = unknown('t-u1', 'room-1', [16, 5.5])
  const out = [
    rule.onTracks!([a, c, b, cleaner, far], T0),
    rule.onTracks!([a, c, b, cleaner, far], T0 + 10000),
    rule.onTracks!([a, c, b, cleaner, near], T0 + 11000),
    rule.onTracks!([a, c, b, cleaner, near], T0 + 15000), // 4 s close
    rule.onTracks!([a, c, b, cleaner, far], T0 + 15500), // apart: the pair's timer resets
    rule.onTracks!([a, c, b, cleaner, near], T0 + 16000),
    rule.onTracks!([a, c, b, cleaner, near], T0 + 20000),
    rule.onTracks!([a, c, b, cleaner], T0 + 20500), // unknown gone
    rule.onTracks!([a, c, b, cleaner, near], T0 + 21000),
    rule.onTracks!([a, c, b, cleaner, near], T0 + 25000),
  ].flat()
  assert.equal(out, [])
})

test('a recognised person not on the roster counts; distance_m itself is close enough', () => {
  const rule = make()
  const a = expert('sub-aaaa1111', 'p1', 'corridor', [5, 5])
  const o = person('sub-zzzz9999', 'other', 'corridor', [6.5, 5]) // exactly 1.5 m
  const out = [0, 5000].flatMap((dt) => rule.onTracks!([a, o], T0 + dt))
  assert.is(out.length, 1)
  assert.equal(out[0]!.subjects, ['sub-aaaa1111', 'sub-zzzz9999'])
  assert.is(out[0]!.dedupKey, 'eu|sub-aaaa1111,sub-zzzz9999|corridor')
})

test('staff count only outside the zones they may enter (the expert zone decides)', () => {
  const inRoom = make()
  const a = expert('sub-aaaa1111', 'p1', 'room-1', [10.5, 5])
  const host = person('sub-host0001', 'staff', 'corridor', [9.5, 5]) // host stands in the corridor, the expert in room-1
  const out = [0, 6000].flatMap((dt) => inRoom.onTracks!([a, host], T0 + dt))
  assert.is(out.length, 1)
  assert.is(out[0]!.zone, 'room-1')
  assert.equal(out[0]!.subjects, ['sub-aaaa1111', 'sub-host0001'])
  const inCorridor = make()
  const a2 = expert('sub-aaaa1111', 'p1', 'corridor', [9.5, 5])
  assert.equal([0, 6000].flatMap((dt) => inCorridor.onTracks!([a2, host], T0 + dt)), [])
})

test('neighbours across a grid cell line are found; a null expert zone falls back to the midpoint', () => {
  const rule = make()
  const a = expert('sub-aaaa1111', 'p1', null, [14.9, 5]) // cell 9
  const u = unknown('t-u1', null, [16.3, 5]) // cell 10, 1.4 m away
  const out = [0, 5000].flatMap((dt) => rule.onTracks!([a, u], T0 + dt))
  assert.is(out.length, 1)
  assert.is(out[0]!.zone, 'room-1')
})

test('two unknowns by one expert are two situations; each fires once', () => {
  const rule = make()
  const a = expert('sub-aaaa1111', 'p1', 'corridor', [5, 5])
  const u1 = unknown('t-u1', 'corridor', [5, 6])
  const u2 = unknown('t-u2', 'corridor', [4, 5])
  const out = [rule.onTracks!([a, u1], T0), rule.onTracks!([a, u1, u2], T0 + 2000), rule.onTracks!([a, u1, u2], T0 + 5000), rule.onTracks!([a, u1, u2], T0 + 7000)]
  assert.equal(out.map((x) => x.length), [0, 0, 1, 1])
  assert.is(out[2]![0]!.since, T0)
  assert.is(out[3]![0]!.since, T0 + 2000)
})

test('among 1,000 tracks the grid finds the one close pair', () => {
  const rule = make()
  const tracks: PersonTrack[] = []
  for (let i = 0; i < 100; i++) tracks.push(expert(`sub-exp${String(i).padStart(4, '0')}`, 'p1', null, [(i % 10) * 3, Math.floor(i / 10) * 3]))
  for (let i = 0; i < 900; i++) tracks.push(unknown(`t-u${i}`, null, [(i % 30) + 0.5 + 1000, Math.floor(i / 30)])) // far away
  tracks.push(unknown('t-close', 'corridor', [0.5, 0]))
  const out = [0, 1000, 2000, 3000, 4000, 5000].flatMap((dt) => rule.onTracks!(tracks, T0 + dt))
  assert.is(out.length, 1)
  assert.equal(out[0]!.subjects, ['sub-exp0000', 'unknown'])
})

test('enabled: false raises nothing', () => {
  assert.is(make({ enabled: false }).onTracks, undefined)
})

test.run()
