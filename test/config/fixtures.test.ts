import { readFileSync } from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadVenue, parseVenue } from '../../src/config/load.js'
import { formatProblem, VenueFileError, type Problem } from '../../src/config/problems.js'
import { fromRoot } from '../helpers/paths.js'

const read = (name: string): string => readFileSync(fromRoot('test/fixtures/venues', name), 'utf8')
const show = (problems: readonly Problem[]): string => problems.map((p) => formatProblem(p)).join('\n')

test('ten-mistakes.yaml: exactly ten problems, each with a path, a line and a plain message', () => {
  const text = read('ten-mistakes.yaml')
  const { venue, problems } = parseVenue(text)
  assert.is(venue, undefined)
  assert.is(problems.length, 10, show(problems))

  const expected = [
    'polygon of zone "checkin" is not closed',
    'zone "room-c" does not exist (zones are: entrance, checkin, corridor, room-a, room-b)',
    'navigation node "n-middle" does not exist',
    'node "n-a" at [9, 3] is not inside its zone "room-a"',
    'zone "lobby" does not exist',
    'navigation node "n-charger" does not exist',
    'zone "corridor" is of kind corridor, not an evaluation_room',
    'sub-aaaa02 is listed as staff (host) and drawn as an expert for project "p1"',
    'door "door-a" is not a check-in gate',
    'edge node "edge-9" serves no camera',
  ]
  for (const fragment of expected) {
    const hits = problems.filter((p) => p.message.includes(fragment))
    assert.is(hits.length, 1, `"${fragment}" should be in exactly one problem:\n${show(problems)}`)
  }

  // Each problem points at the line of its mistake, which the fixture marks with a comment.
  const lines = text.split('\n')
  const marked = new Set<number>()
  for (const p of problems) {
    assert.ok(p.path.length > 0, `no path: ${p.message}`)
    assert.type(p.line, 'number', `no line: ${p.message}`)
    const line = lines[p.line! - 1] ?? ''
    const mark = /MISTAKE (\d+)/.exec(line)
    assert.ok(mark, `line ${p.line} (${line.trim()}) is not a marked mistake, for: ${formatProblem(p)}`)
    marked.add(Number(mark[1]))
  }
  assert.is(marked.size, 10, 'each of the ten marked mistakes is reported once')
})

test('loadVenue throws a VenueFileError that carries every problem', async () => {
  try {
    await loadVenue(fromRoot('test/fixtures/venues/ten-mistakes.yaml'))
    assert.unreachable('should have thrown')
  } catch (err) {
    assert.instance(err, VenueFileError)
    const e = err as VenueFileError
    assert.is(e.problems.length, 10)
    assert.ok(e.message.includes('10 problems'))
    assert.ok(e.message.includes('ten-mistakes.yaml:'), 'the message names file and line')
  }
})

test('schema-mistakes.yaml: unknown key, wrong enum, missing field, each with path and line', () => {
  const { venue, problems } = parseVenue(read('schema-mistakes.yaml'))
  assert.is(venue, undefined)
  assert.is(problems.length, 3, show(problems))
  const find = (path: string): Problem => {
    const p = problems.find((q) => q.path.join('.') === path)
    assert.ok(p, `no problem at ${path}:\n${show(problems)}`)
    assert.type(p.line, 'number')
    return p
  }
  assert.ok(find('floor.zones.2').message.includes('unknown key: colour'))
  assert.ok(find('floor.zones.4.kind').message.includes('evaluation_room'))
  assert.ok(find('rules.0.severity').message.length > 0)
})

test('a monitor whose tracks would end while still in view is refused, at the line of view_s', () => {
  const text = `${read('minimal.yaml')}\nmonitor:\n  lost_s: 10\n  view_s: 20\n`
  const { venue, problems } = parseVenue(text)
  assert.is(venue, undefined)
  const p = problems.find((q) => q.path.join('.') === 'monitor.view_s')
  assert.ok(p, show(problems))
  assert.match(p.message, 'view_s must not exceed lost_s')
  assert.is(text.split('\n')[p.line! - 1]?.trim(), 'view_s: 20')
})

test('minimal.yaml loads', async () => {
  const { venue } = await loadVenue(fromRoot('test/fixtures/venues/minimal.yaml'))
  assert.is(venue.site.id, 'mini')
})

test.run()
