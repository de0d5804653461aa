import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import { createRule, createRuleContext, createRules, makeDedupKey } from '../../src/monitor/rules/index.js'
import { threeZoneVenue } from './fixtures.js'

const venue = await threeZoneVenue({ id: 'vault', kind: 'restricted' }, {
    sessions: [
      { id: 'am', start: '08:30', end: '12:00' },
      { id: 'night', start: '22:00', end: '02:00' },
    ],
    projects: [
      { id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] },
      { id: 'p2', session: 'night', rooms: ['room-1'], experts: ['sub-bbbb2222'] },
    ],
    staff: [{ subject: 'sub-staff001', role: 'host', zones: ['corridor'] }],
})
const ctx = createRuleContext(venue)

test('context: roster lookups', () => {
  assert.is(ctx.projectOf('sub-aaaa1111'), 'p1')
  assert.is(ctx.projectOf('sub-zzzz9999'), null)
  assert.equal(ctx.roomsOf('p1'), ['room-1'])
  assert.equal(ctx.roomsOf('nope'), [])
  assert.equal(ctx.roomsOf(null), [])
  assert.ok(ctx.isStaff('sub-staff001'))
  assert.not.ok(ctx.isStaff('sub-aaaa1111'))
  assert.equal(ctx.staffZones('sub-staff001'), ['corridor'])
  assert.equal(ctx.staffZones('sub-aaaa1111'), [])
  assert.is(ctx.zoneKind('vault'), 'restricted')
  assert.is(ctx.zoneKind('nope'), null)
  assert.equal(ctx.zonesOfKinds(['restricted', 'evaluation_room']), ['room-1', 'vault'])
  assert.is(ctx.zoneAt([25, 5]), 'vault')
  assert.equal(ctx.cameraZones('cam-a'), ['corridor'])
})

test('context: sessionOf uses the given local midnight; an overnight session ends the next day', () => {
  const day = Date.UTC(2024, 4, 1) - 8 * 3_600_000 // midnight in UTC+8
  assert.equal(ctx.sessionOf('p1', day), { start_ms: day + 8.5 * 3_600_000, end_ms: day + 12 * 3_600_000 })
  assert.equal(ctx.sessionOf('p2', day), { start_ms: day + 22 * 3_600_000, end_ms: day + 26 * 3_600_000 })
  assert.is(ctx.sessionOf('nope', day), null)
})

test('createRule: every kind gets an instance of its kind; disabled rules have no hooks', () => {
  const wrong = createRule(Rule.parse({ id: 'w', kind: 'wrong_room', severity: 'high' }), ctx)
  assert.ok(wrong.onTracks)
  assert.is(wrong.enabled, true)
  const off = createRule(Rule.parse({ id: 'w2', kind: 'wrong_room', severity: 'high', enabled: false }), ctx)
  assert.is(off.enabled, false)
  assert.is(off.onTracks, undefined)
  const all = createRules(
    [Rule.parse({ id: 'c', kind: 'camera_health', severity: 'low' }), Rule.parse({ id: 's', kind: 'spoof_attempt', severity: 'high' })],
    ctx,
  )
  assert.equal(
    all.map((r) => [r.id, r.kind]),
    [
      ['c', 'camera_health'],
      ['s', 'spoof_attempt'],
    ],
  )
})

test('context: sessionAt uses the roster date in the site time zone', async () => {
  const fixed = await threeZoneVenue({ id: 'vault', kind: 'restricted' }, {
    date: '2024-05-01',
    sessions: [{ id: 'am', start: '08:30', end: '12:00', arrivalWindow_min: 30 }],
    projects: [{ id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
  })
  const c = createRuleContext(fixed)
  const midnight = Date.UTC(2024, 3, 30, 16) // 2024-05-01 00:00 in Asia/Shanghai (UTC+8)
  assert.equal(c.sessionAt('p1', Date.UTC(2024, 4, 1, 3)), {
    start_ms: midnight + 8.5 * 3_600_000,
    end_ms: midnight + 12 * 3_600_000,
    arrival_ms: midnight + 8 * 3_600_000,
  })
  // a fixed date does not follow the clock
  assert.equal(c.sessionAt('p1', Date.UTC(2024, 5, 9))?.start_ms, midnight + 8.5 * 3_600_000)
  // "today" follows the clock, in the site's zone: 23:00 UTC on 1 May is 07:00 on 2 May in UTC+8
  const today = createRuleContext(venue)
  assert.equal(today.sessionAt('p1', Date.UTC(2024, 4, 1, 23))?.start_ms, Date.UTC(2024, 4, 1, 16) + 8.5 * 3_600_000)
})

test('dedup key: rule id + sorted subjects + zone', () => {
  assert.is(makeDedupKey('r', ['sub-b', 'sub-a'], 'z'), makeDedupKey('r', ['sub-a', 'sub-b'], 'z'))
  assert.is.not(makeDedupKey('r', ['sub-a'], 'z'), makeDedupKey('r', ['sub-a'], 'y'))
})

test.run()
