import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { z } from 'zod'
import { decodePayload, encodePayload } from '../../src/contract/codec.js'
import {
  Action,
  Connection,
  Factsheet,
  InstantActions,
  Order,
  State,
  Visualization,
  vdaHeader,
} from '../../src/contract/vda5050/index.js'
import { factsheet, header, instantActions, order, state } from './vda5050-examples.js'

// ---- helpers ---------------------------------------------------------------------------------

function valid(schema: z.ZodType, value: unknown): void {
  const r = schema.safeParse(value)
  assert.ok(r.success, r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
}

/** The value fails, with (at least) one issue at exactly `path`. */
function invalidAt(schema: z.ZodType, value: unknown, path: (string | number)[]): void {
  const r = schema.safeParse(value)
  assert.not.ok(r.success, `expected a failure at ${path.join('.')}`)
  if (r.success) return
  const paths = r.error.issues.map((i) => i.path.join('.'))
  assert.ok(paths.includes(path.join('.')), `expected an issue at "${path.join('.')}", got ${JSON.stringify(paths)}`)
}

function without<T extends object>(obj: T, key: keyof T): Omit<T, typeof key> {
  const copy = { ...obj }
  delete copy[key]
  return copy
}

// ---- valid examples --------------------------------------------------------------------------

test('[VDA5050 6.7] a full order with base, horizon, actions, trajectory and corridor parses', () => {
  valid(Order, order())
  const o = Order.parse(order())
  assert.is(o.nodes[0]?.actions[0]?.blockingType, 'HARD')
  assert.is(o.edges[1]?.corridor?.corridorRefPoint, 'CONTOUR')
})

test('[VDA5050 6.6.2] an order update stitching on the last base node parses', () => {
  const o = order()
  valid(Order, {
    ...o,
    headerId: 13,
    orderUpdateId: 1,
    nodes: [o.nodes[2], { ...o.nodes[3], released: true }],
    edges: [{ ...o.edges[2], released: true }],
  })
})

test('[VDA5050 6.6.1] a one-node order without edges parses', () => {
  valid(Order, { ...header(), orderId: 'o-1', orderUpdateId: 0, nodes: [{ nodeId: 'dock', sequenceId: 0, released: true, actions: [] }], edges: [] })
})

test('[VDA5050 6.9] instant actions (startPause, initPosition, cancelOrder) parse', () => {
  valid(InstantActions, instantActions())
})

test('[VDA5050 6.10.6] a full state parses and keeps vendor extension fields at the top level', () => {
  valid(State, state())
  const s = State.parse({ ...state(), acmeTrayTemperature: 61.5 })
  assert.is(s.acmeTrayTemperature, 61.5)
  assert.is(s.actionStates.length, 3)
})

test('[VDA5050 6.10.6] a minimal idle state (no position, no loads, no information) parses', () => {
  valid(State, {
    ...header(1),
    orderId: '',
    orderUpdateId: 0,
    lastNodeId: '',
    lastNodeSequenceId: 0,
    nodeStates: [],
    edgeStates: [],
    driving: false,
    actionStates: [],
    batteryState: { batteryCharge: 80, charging: true },
    operatingMode: 'MANUAL',
    errors: [],
    safetyState: { eStop: 'MANUAL', fieldViolation: false },
  })
})

test('[VDA5050 6.11] every actionStatus of the standard is accepted, PAUSED included', () => {
  for (const actionStatus of ['WAITING', 'INITIALIZING', 'RUNNING', 'PAUSED', 'FINISHED', 'FAILED']) {
    valid(State, { ...state(), actionStates: [{ actionId: 'a', actionStatus }] })
  }
})

test('[VDA5050 6.13] visualization with position and velocity parses; every field is optional', () => {
  valid(Visualization, { ...header(88), agvPosition: state().agvPosition, velocity: { vx: 0.4 } })
  valid(Visualization, {})
})

test('[VDA5050 6.14] connection ONLINE, OFFLINE and CONNECTIONBROKEN parse', () => {
  for (const connectionState of ['ONLINE', 'OFFLINE', 'CONNECTIONBROKEN']) valid(Connection, { ...header(0), connectionState })
})

test('[VDA5050 6.15] a factsheet with all sections parses', () => {
  valid(Factsheet, factsheet())
})

test('[VDA5050 6.4] vdaHeader() writes a valid header for our own messages', () => {
  const h = vdaHeader('Acme', 'D-001', 7, new Date('2025-05-01T09:30:00Z'))
  valid(Connection, { ...h, connectionState: 'ONLINE' })
  assert.is(h.timestamp, '2025-05-01T09:30:00.000Z')
})

test('[VDA5050 6.4] a state decodes through the codec on the vdaState topic', () => {
  const r = decodePayload('vdaState', JSON.stringify(state()))
  assert.ok(r.ok, r.ok ? '' : r.error)
})

// ---- invalid messages ------------------------------------------------------------------------

test('[VDA5050 6.6] order requires orderId and orderUpdateId', () => {
  invalidAt(Order, without(order(), 'orderUpdateId'), ['orderUpdateId'])
  invalidAt(Order, without(order(), 'orderId'), ['orderId'])
})

test('[VDA5050 6.7] orderUpdateId and sequenceId are uint32', () => {
  invalidAt(Order, { ...order(), orderUpdateId: -1 }, ['orderUpdateId'])
  invalidAt(Order, { ...order(), orderUpdateId: 1.5 }, ['orderUpdateId'])
  const o = order()
  o.nodes[1]!.sequenceId = -2
  invalidAt(Order, o, ['nodes', 1, 'sequenceId'])
})

test('[VDA5050 6.12] blockingType is NONE, SOFT or HARD', () => {
  const o = order()
  o.nodes[0]!.actions[0]!.blockingType = 'BLOCKING'
  invalidAt(Order, o, ['nodes', 0, 'actions', 0, 'blockingType'])
  invalidAt(Action, { actionType: 'pick', actionId: 'x', blockingType: 'soft' }, ['blockingType'])
})

test('[VDA5050 6.4] headerId is a non-negative integer', () => {
  invalidAt(Order, { ...order(), headerId: -1 }, ['headerId'])
  invalidAt(State, { ...state(), headerId: -5 }, ['headerId'])
  invalidAt(Connection, { ...header(), headerId: 'one', connectionState: 'ONLINE' }, ['headerId'])
})

test('[VDA5050 6.4] the header needs an ISO 8601 timestamp and a 2.x.y version', () => {
  invalidAt(Connection, { ...header(), timestamp: '01.05.2025 09:30', connectionState: 'ONLINE' }, ['timestamp'])
  invalidAt(Connection, { ...header(), version: '1.1.0', connectionState: 'ONLINE' }, ['version'])
  invalidAt(Connection, without({ ...header(), connectionState: 'ONLINE' }, 'manufacturer'), ['manufacturer'])
})

test('[VDA5050 6.3] serialNumber uses A-Z a-z 0-9 _ . : - only', () => {
  invalidAt(Connection, { ...header(), serialNumber: 'D/001', connectionState: 'ONLINE' }, ['serialNumber'])
  invalidAt(Connection, { ...header(), serialNumber: 'D 001', connectionState: 'ONLINE' }, ['serialNumber'])
})

test('[VDA5050 6.6.1] an order has at least one node and exactly one edge fewer than nodes', () => {
  invalidAt(Order, { ...order(), nodes: [], edges: [] }, ['nodes'])
  const o = order()
  invalidAt(Order, { ...o, edges: o.edges.slice(0, 2) }, ['edges'])
})

test('[VDA5050 6.6.1] edge i joins node i to node i + 1', () => {
  const o = order()
  o.edges[1]!.endNodeId = 'dock'
  invalidAt(Order, o, ['edges', 1])
})

test('[VDA5050 6.6.1] the base comes first: nothing released after the first unreleased node or edge', () => {
  const o = order()
  o.nodes[3]!.released = true
  invalidAt(Order, o, ['nodes', 3, 'released'])
  const o2 = order()
  o2.edges[0]!.released = false
  invalidAt(Order, o2, ['nodes', 1, 'released'])
})

test('[VDA5050 6.7] edges need startNodeId, endNodeId and actions', () => {
  const o = order()
  invalidAt(Order, { ...o, edges: [without(o.edges[0]!, 'startNodeId'), o.edges[1], o.edges[2]] }, ['edges', 0, 'startNodeId'])
  invalidAt(Order, { ...o, edges: [without(o.edges[0]!, 'actions'), o.edges[1], o.edges[2]] }, ['edges', 0, 'actions'])
})

test('[VDA5050 6.7] nodePosition angles stay in range and trajectory knots in [0, 1]', () => {
  const o = order()
  o.nodes[0]!.nodePosition!.theta = 4
  invalidAt(Order, o, ['nodes', 0, 'nodePosition', 'theta'])
  const o2 = order()
  o2.nodes[0]!.nodePosition!.allowedDeviationTheta = -0.1
  invalidAt(Order, o2, ['nodes', 0, 'nodePosition', 'allowedDeviationTheta'])
  const o3 = order()
  o3.edges[1]!.trajectory!.knotVector = [0, 0.5, 1.5, 1]
  invalidAt(Order, o3, ['edges', 1, 'trajectory', 'knotVector', 2])
})

test('[VDA5050 6.7] an order carries no unknown top-level field', () => {
  invalidAt(Order, { ...order(), priority: 3 }, [])
  assert.throws(() => encodePayload('vdaOrder', { ...order(), priority: 3 }))
})

test('[VDA5050 6.9] instant actions require the actions array', () => {
  invalidAt(InstantActions, without(instantActions(), 'actions'), ['actions'])
  invalidAt(InstantActions, { ...instantActions(), actions: [{ actionType: 'startPause', blockingType: 'HARD' }] }, ['actions', 0, 'actionId'])
})

test('[VDA5050 6.10.6] state requires safetyState, batteryState and the order progress fields', () => {
  for (const key of ['safetyState', 'batteryState', 'lastNodeId', 'nodeStates', 'actionStates', 'errors', 'driving'] as const) {
    invalidAt(State, without(state(), key), [key])
  }
})

test('[VDA5050 6.10.6] operatingMode, eStop and errorLevel take only the enumerated values', () => {
  invalidAt(State, { ...state(), operatingMode: 'AUTO' }, ['operatingMode'])
  invalidAt(State, { ...state(), safetyState: { eStop: 'PRESSED', fieldViolation: false } }, ['safetyState', 'eStop'])
  invalidAt(State, { ...state(), errors: [{ errorType: 'x', errorLevel: 'ERROR' }] }, ['errors', 0, 'errorLevel'])
  invalidAt(State, { ...state(), information: [{ infoType: 'x', infoLevel: 'WARNING' }] }, ['information', 0, 'infoLevel'])
})

test('[VDA5050 6.11] an unknown actionStatus is refused', () => {
  invalidAt(State, { ...state(), actionStates: [{ actionId: 'a', actionStatus: 'DONE' }] }, ['actionStates', 0, 'actionStatus'])
})

test('[VDA5050 6.10.6] agvPosition requires positionInitialized; localizationScore is in [0, 1]', () => {
  const s = state()
  invalidAt(State, { ...s, agvPosition: without(s.agvPosition, 'positionInitialized') }, ['agvPosition', 'positionInitialized'])
  invalidAt(State, { ...s, agvPosition: { ...s.agvPosition, localizationScore: 1.2 } }, ['agvPosition', 'localizationScore'])
})

test('[VDA5050 6.14] connectionState is ONLINE, OFFLINE or CONNECTIONBROKEN', () => {
  invalidAt(Connection, { ...header(), connectionState: 'DISCONNECTED' }, ['connectionState'])
  invalidAt(Connection, header(), ['connectionState'])
})

test('[VDA5050 6.15] factsheet requires its sections and enumerated kinematics', () => {
  invalidAt(Factsheet, without(factsheet(), 'protocolLimits'), ['protocolLimits'])
  const f = factsheet()
  invalidAt(Factsheet, { ...f, typeSpecification: { ...f.typeSpecification, agvKinematic: 'ACKERMANN' } }, ['typeSpecification', 'agvKinematic'])
  invalidAt(Factsheet, { ...f, protocolLimits: { ...f.protocolLimits, timing: { minOrderInterval: 1 } } }, ['protocolLimits', 'timing', 'minStateInterval'])
})

test.run()
