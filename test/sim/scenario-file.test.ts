/** Scenario files: schema errors with line numbers, and the score of a run's alerts. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Alert } from '../../src/contract/venue/alerts.js'
import { parseScenario, ScenarioFileError } from '../../src/sim/scenario.js'
import { score } from '../../src/sim/score.js'

const good = `name: t
start: "09:00"
duration_s: 600
deviations:
  - { at_s: 60, kind: wrong_room, subject: sub-aaaa1111, room: room-2 }
expect:
  - { rule: wrong-room, subjects: [sub-aaaa1111], zone: room-2, from_s: 60, to_s: 200 }
`

test('a scenario parses with its defaults', () => {
  const s = parseScenario(good, 't.yaml')
  assert.is(s.venue, 'demo')
  assert.is(s.speed, 10)
  assert.equal(s.deviations[0], { at_s: 60, kind: 'wrong_room', subject: 'sub-aaaa1111', room: 'room-2', for_s: 120 })
})

test('mistakes are named with their line', () => {
  const bad = good.replace('start: "09:00"', 'start: "9 o\'clock"').replace('kind: wrong_room', 'kind: wrong_rooom')
  let err: unknown
  try {
    parseScenario(bad, 't.yaml')
  } catch (e) {
    err = e
  }
  assert.instance(err, ScenarioFileError)
  const msg = (err as Error).message
  assert.match(msg, 't.yaml:2: start: start is a site-local time of day')
  assert.match(msg, /t\.yaml:5: deviations\.0\.kind: /)
  assert.throws(() => parseScenario(good.replace('at_s: 60', 'at_s: 9000'), 't.yaml'), /after the end/)
})

test('score: an alert inside the window and with the subjects is found; anything else is a false alert', () => {
  const s = parseScenario(good, 't.yaml')
  const start = Date.UTC(2024, 4, 1, 1)
  const at = (sec: number) => new Date(start + sec * 1000).toISOString()
  const alert = (id: string, rule: string, subjects: string[], zone: string, sec: number): Alert =>
    ({ id, rule, kind: rule, subjects, zone, firstAt: at(sec), lastAt: at(sec + 5), timestamp: at(sec), title: id, cameras: [], robots: [] }) as unknown as Alert
  const r = score(s, start, [alert('a1', 'wrong-room', ['sub-aaaa1111'], 'room-2', 75), alert('a2', 'loitering', ['unknown'], 'corr', 90), alert('a3', 'wrong-room', ['sub-aaaa1111'], 'room-2', 400)])
  assert.is(r.recall, 1)
  assert.is(r.results[0]?.alertId, 'a1')
  assert.is(r.results[0]?.delay_s, 15)
  assert.equal(r.falseAlerts.map((a) => a.id), ['a2', 'a3'])
  assert.is(score(s, start, []).recall, 0)
})

test('score: an optional expectation absorbs its alerts without counting in recall; repeat takes every match', () => {
  const s = parseScenario(
    good + '  - { rule: cross-project-contact, subjects: [sub-aaaa1111], from_s: 60, to_s: 200, optional: true, repeat: true }\n',
    't.yaml',
  )
  const start = Date.UTC(2024, 4, 1, 1)
  const at = (sec: number) => new Date(start + sec * 1000).toISOString()
  const alert = (id: string, rule: string, subjects: string[], sec: number): Alert =>
    ({ id, rule, kind: rule, subjects, zone: 'room-2', firstAt: at(sec), lastAt: at(sec + 5), timestamp: at(sec), title: id, cameras: [], robots: [] }) as unknown as Alert
  const contacts = [alert('c1', 'cross-project-contact', ['sub-aaaa1111', 'sub-bbbb1111'], 80), alert('c2', 'cross-project-contact', ['sub-aaaa1111', 'sub-cccc1111'], 85)]
  const r = score(s, start, [alert('w', 'wrong-room', ['sub-aaaa1111'], 70), ...contacts])
  assert.is(r.expected, 1, 'the optional expectation is not counted')
  assert.is(r.recall, 1)
  assert.equal(r.falseAlerts, [])
  assert.is(score(s, start, [alert('w', 'wrong-room', ['sub-aaaa1111'], 70)]).recall, 1, 'and need not come')
})

test.run()
