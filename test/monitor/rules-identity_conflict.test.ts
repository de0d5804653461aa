import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { IdentityConflict } from '../../src/monitor/fusion.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { testVenue } from '../helpers/venue.js'

const ctx = createRuleContext(await testVenue())
const T0 = Date.UTC(2024, 4, 1, 2)

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'ic', kind: 'identity_conflict', severity: 'critical', ...extra }), ctx)!

const conflict: IdentityConflict = {
  subject: 'sub-aaaa1111',
  a: { camera: 'cam-a', floor: [5, 5], at: new Date(T0).toISOString() },
  b: { camera: 'cam-b', floor: [15, 5], at: new Date(T0).toISOString() },
  distance_m: 10,
}

test('one finding per conflict', () => {
  const rule = make()
  const out = rule.onConflict!(conflict, T0 + 100)
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'identity_conflict')
  assert.is(f.severity, 'critical')
  assert.equal(f.subjects, ['sub-aaaa1111'])
  assert.equal(f.cameras, ['cam-a', 'cam-b'])
  assert.is(f.zone, 'corridor')
  assert.equal(f.floor, [5, 5])
  assert.is(f.at, T0 + 100)
  assert.is(f.dedupKey, 'ic|sub-aaaa1111|corridor')
  assert.is(rule.onConflict!({ ...conflict, subject: 'sub-bbbb2222' }, T0 + 200).length, 1)
})

test('its own maxSpeed_mps: a pair fusion reports that a faster walk could join gives nothing', () => {
  const rule = make({ maxSpeed_mps: 4 })
  // 10 m in 2 s: fusion (2.5 m/s x 2 + 1 m) reports it; 4 m/s x 2 s + 3 m = 11 m joins it
  const slow = { ...conflict, b: { ...conflict.b, at: new Date(T0 + 2000).toISOString() } }
  assert.equal(rule.onConflict!(slow, T0 + 2000), [])
  // 10 m in 1 s: 4 x 1 + 3 = 7 m cannot
  const fast = { ...conflict, b: { ...conflict.b, at: new Date(T0 + 1000).toISOString() } }
  assert.is(rule.onConflict!(fast, T0 + 1000).length, 1)
  // two overlapping cameras 2 m apart at once: their errors, not two people
  assert.equal(rule.onConflict!({ ...conflict, distance_m: 2 }, T0), [])
})

test('normal: tracks alone never raise an identity conflict; disabled rule has no hooks', () => {
  const rule = make()
  assert.is(rule.onTracks, undefined)
  assert.is(rule.onCameraStatus, undefined)
  assert.is(make({ enabled: false }).onConflict, undefined)
})

test.run()
