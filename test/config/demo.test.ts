import { readFileSync } from 'node:fs'
import { scryptSync, timingSafeEqual } from 'node:crypto'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadVenue } from '../../src/config/load.js'
import { Rule } from '../../src/config/schema/rules.js'
import { pointInPolygon } from '../../src/config/geometry.js'
import { fromRoot } from '../helpers/paths.js'

const { venue } = await loadVenue(fromRoot('config/venues/demo.yaml'))

test('demo.yaml loads with no problem', () => {
  assert.is(venue.schemaVersion, 1)
  assert.is(venue.floor.width_m, 60)
  assert.is(venue.floor.height_m, 30)
})

test('floor: the zones the demo needs', () => {
  const kinds = venue.floor.zones.map((z) => z.kind)
  const count = (k: string): number => kinds.filter((x) => x === k).length
  assert.is(count('evaluation_room'), 8)
  assert.is(count('corridor'), 2)
  assert.is(count('restroom'), 2)
  for (const k of ['entrance', 'checkin', 'dining', 'kitchen', 'staff', 'dock', 'exit', 'restricted']) assert.ok(count(k) >= 1, k)
  const gates = venue.floor.doors.filter((d) => d.gate)
  assert.is(gates.length, 1)
  assert.ok(gates[0]!.between.includes('checkin'))
})

test('navigation: rooms, kitchen, dock and entrance are reachable; single-lane passages', () => {
  const zoneOf = (id: string) => venue.floor.zones.find((z) => z.id === id)!
  const nodesIn = (kind: string) => venue.navigation.nodes.filter((n) => n.zone !== undefined && zoneOf(n.zone).kind === kind)
  for (const room of venue.floor.zones.filter((z) => z.kind === 'evaluation_room')) {
    const node = venue.navigation.nodes.find((n) => n.zone === room.id)
    assert.ok(node, `no node in ${room.id}`)
    assert.ok(pointInPolygon(node.at, room.polygon))
  }
  for (const kind of ['kitchen', 'dock', 'entrance', 'checkin', 'corridor']) assert.ok(nodesIn(kind).length >= 1, kind)
  assert.ok(venue.navigation.edges.filter((e) => e.singleLane).length >= 2)
  // Every node is connected to the rest.
  const adj = new Map<string, string[]>()
  for (const e of venue.navigation.edges) {
    adj.set(e.from, [...(adj.get(e.from) ?? []), e.to])
    adj.set(e.to, [...(adj.get(e.to) ?? []), e.from])
  }
  const seen = new Set<string>([venue.navigation.nodes[0]!.id])
  const todo = [...seen]
  while (todo.length > 0) for (const n of adj.get(todo.pop()!) ?? []) if (!seen.has(n)) (seen.add(n), todo.push(n))
  assert.is(seen.size, venue.navigation.nodes.length)
})

test('cameras and robots', () => {
  assert.ok(venue.cameras.length >= 10 && venue.cameras.length <= 16, `${venue.cameras.length} cameras`)
  const edges = new Set(venue.cameras.map((c) => c.edgeNode))
  assert.equal([...edges].sort(), ['edge-1', 'edge-2'])
  for (const c of venue.cameras) {
    assert.ok(c.calibration.pairs.length >= 4 && c.calibration.pairs.length <= 6, c.id)
    assert.is(c.calibration.plane_m, 1.6)
    assert.match(c.rtspUrl, /^rtsp:\/\/127\.0\.0\.1:8554\/cam-\d\d$/)
  }
  assert.is(venue.robots.length, 5)
  const kinds = venue.robots.map((r) => r.kind).sort()
  assert.equal(kinds, ['delivery', 'delivery', 'guard', 'patrol', 'patrol'])
  assert.is(new Set(venue.robots.map((r) => r.dockNode)).size, 5, 'one dock node per robot')
  for (const r of venue.robots) assert.is(r.transport, 'vda5050')
})

test('roster: four projects of two rooms, 8-12 experts each, at least 36 in all', () => {
  const { projects, sessions, staff } = venue.roster
  assert.is(projects.length, 4)
  assert.ok(sessions.length >= 2)
  for (const p of projects) {
    assert.is(p.rooms.length, 2, p.id)
    assert.ok(p.experts.length >= 8 && p.experts.length <= 12, p.id)
  }
  assert.ok(new Set(projects.flatMap((p) => p.experts)).size >= 36)
  assert.ok(staff.length >= 3)
})

test('rules: one of each kind', () => {
  const all = Rule.options.map((o) => o.shape.kind.value).sort()
  assert.equal(venue.rules.map((r) => r.kind).sort(), all)
})

test('principals: every robot and edge node has one; demo-secrets.md holds their passwords', () => {
  for (const r of venue.robots) assert.ok(venue.principals.some((p) => p.role === 'robot' && p.robot === r.id), r.id)
  for (const e of new Set(venue.cameras.map((c) => c.edgeNode))) assert.ok(venue.principals.some((p) => p.role === 'edge' && p.edgeNode === e), e)
  for (const role of ['admin', 'monitor', 'fleet', 'console']) assert.ok(venue.principals.some((p) => p.role === role), role)

  const secrets = readFileSync(fromRoot('config/venues/demo-secrets.md'), 'utf8')
  assert.match(secrets, /public/i)
  for (const p of venue.principals) {
    const row = secrets.split('\n').find((l) => l.startsWith(`| ${p.name} |`))
    assert.ok(row, `no row for ${p.name}`)
    const password = /`([^`]+)`\s*\|\s*$/.exec(row)?.[1]
    assert.is(password, `dev-${p.name}`)
    const [, n, r, par, salt, hash] = p.secretHash.split('$')
    const expected = Buffer.from(hash!, 'base64')
    assert.is(expected.length, 32)
    assert.is(Buffer.from(salt!, 'base64').length, 16)
    const actual = scryptSync(password!, Buffer.from(salt!, 'base64'), 32, { N: Number(n), r: Number(r), p: Number(par) })
    assert.ok(timingSafeEqual(actual, expected), `the password of ${p.name} does not match its hash`)
  }
})

test.run()
