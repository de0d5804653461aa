import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { threeZoneVenue, track } from './fixtures.js'

const venue = await threeZoneVenue({ id: 'vault', kind: 'restricted' })
const ctx = createRuleContext(venue)
const T0 = Date.UTC(2024, 4, 1, 2)

const unknown = (zone: string | null, floor: [number, number], id = 't-1'): PersonTrack => track({ id, zone, floor, cameras: ['cam-b'] }, T0)

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'unk', kind: 'unknown_in_restricted', severity: 'high', dwell_s: 2, ...extra }), ctx)!

test('unknown person staying >= dwell_s in an evaluation room raises one finding', () => {
  const rule = make()
  const t = unknown('room-1', [15, 5])
  const out = [0, 1000, 2000, 3000].flatMap((dt) => rule.onTracks!([t], T0 + dt))
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.ruleId, 'unk')
  assert.is(f.kind, 'unknown_in_restricted')
  assert.is(f.severity, 'high')
  assert.is(f.zone, 'room-1')
  assert.equal(f.subjects, ['unknown'])
  assert.equal(f.floor, [15, 5])
  assert.equal(f.cameras, ['cam-b'])
  assert.is(f.at, T0 + 2000)
  assert.is(f.dedupKey, 'unk|unknown|room-1')
})

test('restricted zone counts by default too', () => {
  const rule = make()
  const t = unknown('vault', [25, 5])
  const out = [0, 2500].flatMap((dt) => rule.onTracks!([t], T0 + dt))
  assert.is(out.length, 1)
  assert.is(out[0]!.zone, 'vault')
})

test('normal: unknown in the corridor, or in the room only briefly, raises nothing', () => {
  const rule = make()
  const out = [
    rule.onTracks!([unknown('corridor', [5, 5])], T0),
    rule.onTracks!([unknown('corridor', [5, 5])], T0 + 5000),
    rule.onTracks!([unknown('room-1', [15, 5])], T0 + 6000),
    rule.onTracks!([unknown('room-1', [15, 5])], T0 + 7500),
    rule.onTracks!([unknown('corridor', [9, 5])], T0 + 8000), // left before 2 s
    rule.onTracks!([unknown('room-1', [15, 5])], T0 + 9000), // timer restarts
    rule.onTracks!([], T0 + 10000), // track gone
    rule.onTracks!([unknown('room-1', [15, 5])], T0 + 10500),
  ].flat()
  assert.equal(out, [])
})

test('normal: a recognised expert in the room is not unknown', () => {
  const rule = make()
  const t: PersonTrack = { ...unknown('room-1', [15, 5]), subject: 'sub-aaaa1111', category: 'expert', project: 'p1' }
  assert.equal([0, 5000].flatMap((dt) => rule.onTracks!([t], T0 + dt)), [])
})

test('explicit zones override the default kinds; enabled: false raises nothing', () => {
  const onlyVault = make({ zones: ['vault'] })
  const room = unknown('room-1', [15, 5])
  assert.equal([0, 5000].flatMap((dt) => onlyVault.onTracks!([room], T0 + dt)), [])
  const off = make({ enabled: false })
  assert.is(off.onTracks, undefined)
})

test.run()
