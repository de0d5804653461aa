import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { CameraStatus } from '../../src/contract/venue/status.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { testVenue } from '../helpers/venue.js'

const ctx = createRuleContext(await testVenue())
const T0 = Date.UTC(2024, 4, 1, 2)
const iso = (ms: number): string => new Date(ms).toISOString()

const status = (state: CameraStatus['state'], since: number, camera = 'cam-a'): CameraStatus => ({
  schemaVersion: '1.0.0',
  timestamp: iso(since),
  camera,
  node: 'edge-1',
  state,
  since: iso(since),
  fps: state === 'online' ? 10 : 0,
  lastFrameAt: null,
  droppedFrames: 0,
})

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'cam', kind: 'camera_health', severity: 'medium', after_s: 3, ...extra }), ctx)!

test('camera offline for >= after_s raises one finding (on tick or on the next status)', () => {
  const rule = make()
  const out = [
    rule.onCameraStatus!(status('offline', T0), T0),
    rule.onTick!(T0 + 1000),
    rule.onTick!(T0 + 3000),
    rule.onTick!(T0 + 4000),
    rule.onCameraStatus!(status('offline', T0), T0 + 5000),
  ].flat()
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'camera_health')
  assert.equal(f.cameras, ['cam-a'])
  assert.equal(f.subjects, [])
  assert.is(f.zone, 'corridor')
  assert.is(f.at, T0 + 3000)
  assert.is(f.dedupKey, 'cam||corridor|cam-a')
})

test('a retained status already older than after_s fires at once', () => {
  const rule = make()
  const out = rule.onCameraStatus!(status('dark', T0 - 10000, 'cam-b'), T0)
  assert.is(out.length, 1)
  assert.is(out[0]!.zone, 'room-1')
})

test('normal: camera recovers within after_s, or is in a state not listed, raises nothing', () => {
  const rule = make()
  const out = [
    rule.onCameraStatus!(status('offline', T0), T0),
    rule.onTick!(T0 + 2000),
    rule.onCameraStatus!(status('online', T0 + 2500), T0 + 2500),
    rule.onTick!(T0 + 10000),
    rule.onCameraStatus!(status('stalled', T0 + 11000), T0 + 11000), // not in the default statuses
    rule.onTick!(T0 + 20000),
  ].flat()
  assert.equal(out, [])
})

test('enabled: false raises nothing', () => {
  const off = make({ enabled: false })
  assert.is(off.onCameraStatus, undefined)
  assert.is(off.onTick, undefined)
})

test.run()
