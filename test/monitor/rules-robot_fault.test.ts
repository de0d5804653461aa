import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rule } from '../../src/config/schema/rules.js'
import type { RobotStatus } from '../../src/contract/venue/missions.js'
import { createRule, createRuleContext, type RuleInstance } from '../../src/monitor/rules/index.js'
import { testVenue } from '../helpers/venue.js'

const ctx = createRuleContext(await testVenue()) // corridor 0-10 m, room-1 10-20 m; robots r1, r2 with low_pct 25
const T0 = Date.UTC(2024, 4, 1, 2)
const iso = (ms: number): string => new Date(ms).toISOString()

const status = (extra: Partial<RobotStatus> = {}): RobotStatus => ({
  schemaVersion: '1.0.0',
  timestamp: iso(T0),
  robot: 'r1',
  kind: 'patrol',
  connection: 'online',
  mode: 'mission',
  battery_pct: 80,
  floor: [5, 5],
  theta_rad: 0,
  node: 'n1',
  mission: null,
  errors: [],
  faults: [],
  ...extra,
})
const fault = (kind: RobotStatus['faults'][number]['kind'], since: number, detail = '') => ({ kind, since: iso(since), detail })

const make = (extra: Record<string, unknown> = {}): RuleInstance =>
  createRule(Rule.parse({ id: 'rf', kind: 'robot_fault', severity: 'medium', ...extra }), ctx)!

test('a robot that gets stuck raises one finding while the fault lasts', () => {
  const rule = make()
  const stuck = status({ mode: 'fault', floor: [15, 5], faults: [fault('stuck', T0 + 500, 'blocked at door')] })
  const out = [
    rule.onRobotStatus!(status(), T0),
    rule.onRobotStatus!(stuck, T0 + 1000),
    rule.onRobotStatus!(stuck, T0 + 2000),
  ].flat()
  assert.is(out.length, 1)
  const f = out[0]!
  assert.is(f.kind, 'robot_fault')
  assert.is(f.severity, 'medium')
  assert.equal(f.subjects, [])
  assert.equal(f.robots, ['r1'])
  assert.is(f.zone, 'room-1')
  assert.equal(f.floor, [15, 5])
  assert.equal(f.cameras, [])
  assert.is(f.title, 'Robot r1: stuck (blocked at door)')
  assert.is(f.at, T0 + 1000)
  assert.is(f.since, T0 + 500)
  assert.is(f.dedupKey, 'rf||room-1|r1:stuck')
})

test('normal: a healthy robot, charging with battery above its low level, raises nothing', () => {
  const rule = make()
  const out = [0, 1000, 60000].flatMap((dt) => rule.onRobotStatus!(status({ mode: 'charging', battery_pct: 30 }), T0 + dt))
  assert.equal(out, [])
})

test('disconnected and low battery are derived from the status; since defaults to now', () => {
  const rule = make()
  const out = rule.onRobotStatus!(status({ connection: 'connectionbroken', battery_pct: 10, floor: null }), T0)
  assert.equal(out.map((f) => f.dedupKey), ['rf||-|r1:low_battery', 'rf||-|r1:disconnected'])
  assert.is(out[0]!.zone, null)
  assert.is(out[0]!.since, T0)
  assert.is(out[1]!.title, 'Robot r1: disconnected')
  // The fleet naming the same faults adds nothing new.
  assert.equal(rule.onRobotStatus!(status({ connection: 'offline', battery_pct: 10, faults: [fault('disconnected', T0)] }), T0 + 1000), [])
})

test('a fault fires again only after it cleared; robots are tracked apart', () => {
  const rule = make()
  const lost = (robot: string) => status({ robot, faults: [fault('lost', T0)] })
  const out = [
    rule.onRobotStatus!(lost('r1'), T0),
    rule.onRobotStatus!(lost('r1'), T0 + 1000),
    rule.onRobotStatus!(lost('r2'), T0 + 1000),
    rule.onRobotStatus!(status({ robot: 'r2', faults: [fault('lost', T0), fault('fatal_error', T0 + 1500)] }), T0 + 2000),
    rule.onRobotStatus!(status(), T0 + 3000), // r1 recovers
    rule.onRobotStatus!(lost('r1'), T0 + 4000),
  ].flat()
  assert.equal(
    out.map((f) => [f.robots[0], f.dedupKey, f.at]),
    [
      ['r1', 'rf||corridor|r1:lost', T0],
      ['r2', 'rf||corridor|r2:lost', T0 + 1000],
      ['r2', 'rf||corridor|r2:fatal_error', T0 + 2000],
      ['r1', 'rf||corridor|r1:lost', T0 + 4000],
    ],
  )
})

test('faults not listed in the config are ignored', () => {
  const rule = make({ faults: ['stuck'] })
  assert.equal(rule.onRobotStatus!(status({ connection: 'offline', battery_pct: 5, faults: [fault('lost', T0)] }), T0), [])
  assert.is(rule.onRobotStatus!(status({ faults: [fault('stuck', T0)] }), T0 + 1000).length, 1)
})

test('an unknown robot has no battery threshold: only its reported faults count', () => {
  const rule = make()
  assert.equal(rule.onRobotStatus!(status({ robot: 'r9', battery_pct: 1 }), T0), [])
  assert.is(rule.onRobotStatus!(status({ robot: 'r9', faults: [fault('low_battery', T0)] }), T0).length, 1)
})

test('enabled: false raises nothing', () => {
  assert.is(make({ enabled: false }).onRobotStatus, undefined)
})

test('a robot switched off (offline) or not yet seen is not a fault; a broken connection is', () => {
  const rule = make()
  assert.equal(rule.onRobotStatus!(status({ connection: 'offline' }), T0), [])
  const broken = rule.onRobotStatus!(status({ connection: 'connectionbroken' }), T0 + 1000)
  assert.equal(broken.map((f) => f.dedupKey.split('|').at(-1)), ['r1:disconnected'])
})

test.run()
