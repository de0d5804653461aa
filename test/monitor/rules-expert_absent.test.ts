import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { createRule, createRuleContext, type RuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { threeZoneVenue, track } from './fixtures.js'
import { calibration } from '../helpers/venue.js'

// Fixed day: session 08:30-12:00 Asia/Shanghai, arrival window 30 min.
const ROSTER = {
  date: '2024-05-01',
  sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
  projects: [{ id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
}
const ctx = createRuleContext(await threeZoneVenue({ id: 'exit-1', kind: 'exit' }, ROSTER))
const START = Date.UTC(2024, 4, 1, 0, 30)
const ARRIVAL = START - 30 * 60000
const END = Date.UTC(2024, 4, 1, 4, 0)

const at = (zone: string, floor: [number, number], cameras = ['cam-b']): PersonTrack =>
  track({ id: 't-a', subject: 'sub-aaaa1111', category: 'expert', project: 'p1', zone, floor, cameras }, START)
const room = at('room-1', [15, 5])
const corridor = at('corridor', [5, 5], ['cam-a'])
const exit = at('exit-1', [25, 5], ['cam-a'])

const make = (c: RuleContext = ctx, extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'abs', kind: 'expert_absent', severity: 'medium', absence_s: 60, ...extra }), c)!

test('expert out of the room for >= absence_s raises one finding, on tick after the track vanished', () => {
  const rule = make()
  const out = [
    rule.onTracks!([room], START),
    rule.onTracks!([corridor], START + 10000),
    rule.onTracks!([], START + 20000), // not seen any more: still in the corridor as far as we know
    rule.onTick!(START + 69000),
    rule.onTick!(START + 70000),
    rule.onTick!(START + 200000),
    rule.onTracks!([], START + 300000),
  ].flat()
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'expert_absent')
  assert.is(f.severity, 'medium')
  assert.equal(f.subjects, ['sub-aaaa1111'])
  assert.is(f.zone, 'corridor')
  assert.equal(f.floor, [5, 5])
  assert.equal(f.cameras, ['cam-a'])
  assert.is(f.at, START + 70000)
  assert.is(f.since, START + 10000)
  assert.is(f.dedupKey, 'abs|sub-aaaa1111|corridor|absent')
})

test('normal: a short break, or vanishing while in the room, raises nothing', () => {
  const rule = make()
  const out = [
    rule.onTracks!([room], START),
    rule.onTracks!([corridor], START + 10000),
    rule.onTick!(START + 50000),
    rule.onTracks!([room], START + 60000), // back after 50 s
    rule.onTick!(START + 200000),
    rule.onTracks!([], START + 210000), // vanished in the room
    rule.onTick!(START + 3600000),
  ].flat()
  assert.equal(out, [])
})

test('returning to the room resets: a later absence fires again', () => {
  const rule = make()
  const out = [
    rule.onTracks!([room], START),
    rule.onTracks!([corridor], START + 1000),
    rule.onTick!(START + 61000),
    rule.onTracks!([room], START + 100000),
    rule.onTracks!([corridor], START + 200000),
    rule.onTick!(START + 260000),
  ]
  assert.equal(out.map((x) => x.length), [0, 0, 1, 0, 0, 1])
  assert.is(out[5]![0]!.since, START + 200000)
})

test('an expert who never arrived in their room is not absent', () => {
  const rule = make()
  assert.equal([rule.onTracks!([corridor], START), rule.onTick!(START + 3600000)].flat(), [])
})

test('time out before the session starts counts from the start; nothing after the end', () => {
  const rule = make()
  const before = [
    rule.onTracks!([room], ARRIVAL + 5 * 60000), // arrived in the arrival window
    rule.onTracks!([corridor], ARRIVAL + 10 * 60000),
    rule.onTick!(START + 59000),
    rule.onTick!(START + 60000),
  ]
  assert.equal(before.map((x) => x.length), [0, 0, 0, 1])
  assert.is(before[3]![0]!.since, ARRIVAL + 10 * 60000)
  const after = make()
  const out = [after.onTracks!([room], END - 60000), after.onTracks!([corridor], END - 30000), after.onTick!(END + 100000)].flat()
  assert.equal(out, [])
})

test('earlyLeave: an expert in the exit before the session ends fires at once, once per stay', () => {
  const rule = make()
  const out = [
    rule.onTracks!([exit], START + 3600000),
    rule.onTracks!([exit], START + 3601000),
    rule.onTracks!([], START + 3602000), // out of sight: still at the exit as far as we know
    rule.onTracks!([exit], START + 3603000),
    rule.onTracks!([corridor], START + 3700000),
    rule.onTracks!([exit], START + 3800000),
  ]
  assert.equal(out.map((x) => x.length), [1, 0, 0, 0, 0, 1])
  const f = out[0]![0]!
  assert.is(f.zone, 'exit-1')
  assert.is(f.at, START + 3600000)
  assert.is(f.since, START + 3600000)
  assert.is(f.dedupKey, 'abs|sub-aaaa1111|exit-1|early')
})

test('normal: the exit before the arrival window or after the end, or with earlyLeave off, raises nothing', () => {
  const rule = make()
  assert.equal([rule.onTracks!([exit], ARRIVAL - 1000), rule.onTracks!([corridor], ARRIVAL), rule.onTracks!([exit], END)].flat(), [])
  const off = make(ctx, { earlyLeave: false })
  assert.equal(off.onTracks!([exit], START + 1000), [])
})

test('a "today" roster with an overnight session: absence after midnight still counts', async () => {
  const night = createRuleContext(
    await threeZoneVenue({ id: 'exit-1', kind: 'exit' }, {
      sessions: [{ id: 'night', start: '22:00', end: '02:00' }],
      projects: [{ id: 'p1', session: 'night', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
    }),
  )
  const rule = make(night)
  const midnight = Date.UTC(2024, 4, 1, 16) // 00:00 local on May 2
  const out = [rule.onTracks!([room], midnight), rule.onTracks!([corridor], midnight + 1000), rule.onTick!(midnight + 61000)].flat()
  assert.equal(out.map((f) => f.dedupKey), ['abs|sub-aaaa1111|corridor|absent'])
})

test('enabled: false raises nothing', () => {
  const off = make(ctx, { enabled: false })
  assert.is(off.onTracks, undefined)
  assert.is(off.onTick, undefined)
})

test('a room no camera sees: an expert who went out of sight at its door is in it, one who vanished elsewhere is not', async () => {
  // room-1 behind a door from the corridor, and no camera on it
  const blind = createRuleContext(
    await threeZoneVenue({ id: 'exit-1', kind: 'exit' }, ROSTER, {
      doors: [{ id: 'd-room-1', between: ['corridor', 'room-1'], at: [10, 5] }],
      cameras: [
        { id: 'cam-a', rtspUrl: 'rtsp://127.0.0.1:8554/a', edgeNode: 'edge-1', zones: ['corridor'], calibration },
        { id: 'cam-c', rtspUrl: 'rtsp://127.0.0.1:8554/c', edgeNode: 'edge-2', zones: ['exit-1'], calibration },
      ],
    }),
  )
  const atDoor = at('corridor', [9, 5], ['cam-a'])
  const farFromDoor = at('corridor', [2, 5], ['cam-a'])
  const into = make(blind)
  const walkedIn = [into.onTracks!([atDoor], START), into.onTracks!([], START + 1000), into.onTick!(START + 600_000)].flat()
  assert.equal(walkedIn, [], 'out of sight through the door of the own room: in the room')
  // back out for a break, and gone from sight in the middle of the corridor
  const away = [into.onTracks!([farFromDoor], START + 700_000), into.onTracks!([], START + 701_000), into.onTick!(START + 800_000)].flat()
  assert.is(away.length, 1)
  assert.is(away[0]!.since, START + 700_000)
})

test.run()
