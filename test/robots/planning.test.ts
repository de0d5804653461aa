/** Paths, VDA 5050 orders and traffic reservations, without MQTT. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { NavGraph } from '../../src/robots/graph.js'
import { Reservations } from '../../src/robots/reservations.js'
import { orderFor } from '../../src/robots/vda5050/orders.js'
import { dueRequests } from '../../src/robots/schedules.js'
import { Schedule } from '../../src/config/schema/fleet.js'
import { fleetVenue } from './fixtures.js'

const venue = await fleetVenue()
const graph = new NavGraph(venue.navigation)

test('graph: fastest path, both directions, none to an unknown node', () => {
  const p = graph.path('n-dock-1', 'n-room-3')!
  assert.equal(p.nodes, ['n-dock-1', 'n-hub', 'n-c1', 'n-c2', 'n-c3', 'n-room-3'])
  assert.equal(p.edges.map((e) => e.id), ['e-dock-1', 'e-c1', 'e-c2', 'e-narrow', 'e-room-3'])
  assert.equal(graph.path('n-room-3', 'n-dock-1')!.nodes, [...p.nodes].reverse())
  assert.equal(graph.path('n-c1', 'n-c1')!.nodes, ['n-c1'])
  assert.is(graph.path('n-c1', 'nowhere'), null)
  assert.ok(Math.abs(p.length_m - (Math.hypot(5, 2) + 7 + 10 + 20 + 10)) < 1e-9)
})

test('order (VDA 5050 6.6.1, 6.6.2): sequenceIds 0, 1, 2, ...; base then horizon; actions on the last node', () => {
  const leg = { id: 'o-1', nodes: ['n-c1', 'n-c2', 'n-c3', 'n-room-3'], released: 2, actions: [{ id: 'a-1', type: 'waitForTrigger', blocking: 'HARD' as const }] }
  const o = orderFor(graph, leg, 0, 0, 'test-site')
  assert.is(o.orderId, 'o-1')
  assert.is(o.orderUpdateId, 0)
  assert.equal(o.nodes.map((n) => [n.nodeId, n.sequenceId, n.released]), [
    ['n-c1', 0, true],
    ['n-c2', 2, true],
    ['n-c3', 4, false],
    ['n-room-3', 6, false],
  ])
  assert.equal(o.edges.map((e) => [e.edgeId, e.sequenceId, e.released, e.startNodeId, e.endNodeId]), [
    ['e-c2', 1, true, 'n-c1', 'n-c2'],
    ['e-narrow', 3, false, 'n-c2', 'n-c3'],
    ['e-room-3', 5, false, 'n-c3', 'n-room-3'],
  ])
  assert.equal(o.nodes.map((n) => n.actions.length), [0, 0, 0, 1])
  assert.equal(o.nodes[3]!.actions[0], { actionType: 'waitForTrigger', actionId: 'a-1', blockingType: 'HARD' })
  assert.equal(o.nodes[1]!.nodePosition, { x: 25, y: 15, mapId: 'test-site' })
})

test('order update (VDA 5050 6.6.3): same orderId, next orderUpdateId, starts at the stitching node with its sequenceId', () => {
  const leg = { id: 'o-1', nodes: ['n-c1', 'n-c2', 'n-c3', 'n-room-3'], released: 4, actions: [] }
  const u = orderFor(graph, leg, 1, 1, 'test-site')
  assert.is(u.orderUpdateId, 1)
  assert.equal(u.nodes.map((n) => [n.nodeId, n.sequenceId, n.released]), [
    ['n-c2', 2, true],
    ['n-c3', 4, true],
    ['n-room-3', 6, true],
  ])
  assert.equal(u.edges.map((e) => e.sequenceId), [3, 5])
})

test('reservations: a run of single-lane edges is taken whole or not at all; the second robot stops before it', () => {
  const r = new Reservations()
  const east = graph.path('n-c1', 'n-room-3')!
  const west = graph.path('n-room-4', 'n-c1')!
  // r1 eastwards takes e-narrow and e-room-3 (one run): released to the end
  assert.is(r.releaseAlong('r1', east.edges), east.nodes.length)
  // r2 westwards needs e-room-4 (free) then e-narrow (r1's): released up to n-c3, before the narrow lane
  const released = r.releaseAlong('r2', west.edges)
  assert.is(west.nodes[released - 1], 'n-c3')
  assert.is(r.heldBy('edge:e-room-4'), 'r2')
  // r1 lets go: r2 gets the lane
  r.release('r1', ['edge:e-narrow'])
  assert.is(r.releaseAlong('r2', west.edges, released - 1), west.nodes.length)
  assert.is(r.heldBy('edge:e-narrow'), 'r2')
  // all or nothing: r1 cannot take e-room-3 + e-narrow while r2 holds e-narrow, and keeps nothing new
  r.releaseAllBut('r1', [])
  assert.not.ok(r.tryAcquire('r1', ['edge:e-room-3', 'edge:e-narrow']))
  assert.is(r.heldBy('edge:e-room-3'), undefined)
})

test('schedules: site-local times fire once per day, at the minute; "start" only when starting', () => {
  const s = [Schedule.parse({ id: 'lunch', kind: 'delivery', rooms: ['room-1'], at: ['12:00', 'start'] })]
  const noon = Date.UTC(2024, 4, 1, 4, 0) // 12:00 in Asia/Shanghai
  const tz = 'Asia/Shanghai'
  assert.equal(dueRequests(s, tz, noon - 250, noon - 1, false), [])
  const due = dueRequests(s, tz, noon - 250, noon + 10, false)
  assert.equal(due.map((r) => [r.requestId, r.kind, r.rooms, r.requestedBy]), [['sched-lunch-2024-05-01-1200', 'delivery', ['room-1'], 'schedule:lunch']])
  assert.equal(dueRequests(s, tz, noon + 10, noon + 260, false), [], 'once')
  assert.equal(dueRequests(s, tz, noon + 86_400_000 - 100, noon + 86_400_000, false)[0]?.requestId, 'sched-lunch-2024-05-02-1200', 'and again the next day')
  assert.equal(dueRequests(s, tz, noon + 1000, noon + 1000, true).map((r) => r.requestId.startsWith('sched-lunch-start-')), [true])
})

test.run()
