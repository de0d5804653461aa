// Order acceptance of the simulated vehicle: VDA 5050 6.6.2 (Figure 8, "the process of accepting an
// order or orderUpdate") and 6.6.4 (order rejection). Pure: the vehicle hands in what it knows.
import type { ErrorEntry, ErrorReference, Order } from '../../contract/vda5050/index.js'
import { distance, type NavGraph, type Point } from './options.js'

type OrderNode = Order['nodes'][number]

/** Node action types the vehicle can run (VDA 5050 6.8.1, scope "node"). */
export const NODE_ACTION_TYPES: ReadonlySet<string> = new Set(['waitForTrigger', 'pick', 'drop', 'startCharging', 'stopCharging'])

export interface OrderContext {
  orderId: string
  orderUpdateId: number
  /** Figure 8 step 3: nodeStates not empty, or order actions neither FINISHED nor FAILED. */
  active: boolean
  /** Last released node of the current order (the decision point), if any. */
  baseEnd: { nodeId: string; sequenceId: number } | undefined
  lastNodeId: string
  lastNodeSequenceId: number
  position: Point
  /** A FATAL error is active: the vehicle cannot take a new order. */
  fatal: boolean
  graph: NavGraph
  tolerance_m: number
}

export type Verdict =
  | { kind: 'new' }
  | { kind: 'update' }
  /** Same orderId and orderUpdateId again: a resent message, ignored (6.6.4.3, last paragraph). */
  | { kind: 'duplicate' }
  | { kind: 'reject'; error: ErrorEntry }

/** Where a node is: the navigation graph's position, else the order's nodePosition (a temporary node, 6.6.3.1). */
export function positionOf(node: OrderNode, graph: NavGraph): Point | undefined {
  return graph.nodes.get(node.nodeId) ?? (node.nodePosition === undefined ? undefined : { x: node.nodePosition.x, y: node.nodePosition.y })
}

/** Error references for an order, as 7.1 suggests: headerId, topic, orderId and orderUpdateId, then the culprits. */
export function orderRefs(order: Order, extra: Record<string, string | number> = {}): ErrorReference[] {
  const refs: Record<string, string | number> = { headerId: order.headerId, topic: 'order', orderId: order.orderId, orderUpdateId: order.orderUpdateId, ...extra }
  return Object.entries(refs).map(([referenceKey, v]) => ({ referenceKey, referenceValue: String(v) }))
}

function reject(errorType: string, order: Order, description: string, extra: Record<string, string | number> = {}): Verdict {
  return { kind: 'reject', error: { errorType, errorLevel: 'WARNING', errorDescription: description, errorReferences: orderRefs(order, extra) } }
}

/**
 * 6.6.4.1: content the schema lets through but that is malformed: sequenceIds must run across nodes and
 * edges by one (6.6.2: node 0, edge 1, node 2, ...), actionIds must be unique within the order.
 */
function validation(order: Order): Verdict | undefined {
  const s0 = order.nodes[0]!.sequenceId
  for (const [i, n] of order.nodes.entries()) {
    if (n.sequenceId !== s0 + 2 * i) return reject('validationError', order, `node ${i} "${n.nodeId}" has sequenceId ${n.sequenceId}, expected ${s0 + 2 * i} (6.6.2)`, { nodeId: n.nodeId, sequenceId: n.sequenceId })
  }
  for (const [i, e] of order.edges.entries()) {
    if (e.sequenceId !== s0 + 2 * i + 1) return reject('validationError', order, `edge ${i} "${e.edgeId}" has sequenceId ${e.sequenceId}, expected ${s0 + 2 * i + 1} (6.6.2)`, { edgeId: e.edgeId, sequenceId: e.sequenceId })
  }
  const seen = new Set<string>()
  for (const a of [...order.nodes.flatMap((n) => n.actions), ...order.edges.flatMap((e) => e.actions)]) {
    if (seen.has(a.actionId)) return reject('validationError', order, `actionId "${a.actionId}" appears twice in the order`, { actionId: a.actionId })
    seen.add(a.actionId)
  }
  return undefined
}

/** Every node must be known (or carry a position), every edge a navigation edge joining its two nodes. */
function route(order: Order, graph: NavGraph): Verdict | undefined {
  for (const n of order.nodes) {
    if (positionOf(n, graph) === undefined) return reject('noRouteError', order, `node "${n.nodeId}" is not in the navigation graph and has no nodePosition`, { nodeId: n.nodeId })
  }
  for (const e of order.edges) {
    if (graph.joins(e.edgeId, e.startNodeId, e.endNodeId)) continue
    // an edge to or from a temporary node (6.6.3.1) is driven in a straight line
    const temporary = !graph.nodes.has(e.startNodeId) || !graph.nodes.has(e.endNodeId)
    if (temporary && !graph.edges.has(e.edgeId)) continue
    return reject('noRouteError', order, `edge "${e.edgeId}" is not a navigation edge between "${e.startNodeId}" and "${e.endNodeId}"`, { edgeId: e.edgeId })
  }
  return undefined
}

/** 6.6.4.2 / 6.1.1: actions the vehicle cannot perform, fields it cannot use. */
function capabilities(order: Order): Verdict | undefined {
  for (const n of order.nodes) {
    for (const a of n.actions) {
      if (!NODE_ACTION_TYPES.has(a.actionType)) {
        return reject('orderError', order, `action type "${a.actionType}" is not supported on nodes (see the factsheet)`, { nodeId: n.nodeId, actionId: a.actionId, actionType: a.actionType })
      }
    }
  }
  for (const e of order.edges) {
    const a = e.actions[0]
    if (a !== undefined) return reject('orderError', order, 'edge actions are not supported (see the factsheet)', { edgeId: e.edgeId, actionId: a.actionId, actionType: a.actionType })
    if (e.trajectory !== undefined) return reject('orderError', order, 'trajectories are not supported (6.1.1)', { edgeId: e.edgeId, field: 'trajectory' })
  }
  return undefined
}

/** Figure 8: valid? new or update? still executing? reachable? deprecated? duplicate? valid continuation? */
export function checkOrder(order: Order, ctx: OrderContext): Verdict {
  const bad = validation(order) ?? route(order, ctx.graph) ?? capabilities(order)
  if (bad !== undefined) return bad
  const first = order.nodes[0]!
  if (order.orderId !== ctx.orderId) {
    if (ctx.active) return reject('orderError', order, `still executing order "${ctx.orderId}": a new order is taken only when idle (6.6.2 Figure 8, step 3); cancel it first`)
    if (ctx.fatal) return reject('orderError', order, 'the vehicle has a FATAL error and cannot take an order')
    if (!first.released) return reject('orderError', order, 'the first node of a new order must be released', { nodeId: first.nodeId })
    const at = positionOf(first, ctx.graph)!
    const allowed = Math.max(first.nodePosition?.allowedDeviationXY ?? 0, ctx.tolerance_m)
    const off = distance(at, ctx.position)
    if (off > allowed) {
      return reject('orderError', order, `the first node "${first.nodeId}" is ${off.toFixed(2)} m away: not trivially reachable (6.6.1)`, { nodeId: first.nodeId })
    }
    return { kind: 'new' }
  }
  if (order.orderUpdateId < ctx.orderUpdateId) {
    return reject('orderUpdateError', order, `orderUpdateId ${order.orderUpdateId} is lower than the current ${ctx.orderUpdateId} (6.6.4.3)`)
  }
  if (order.orderUpdateId === ctx.orderUpdateId) return { kind: 'duplicate' }
  // step 7 (still running: stitch at the last base node) or step 8 (completed: stitch at lastNode)
  const stitch = ctx.active ? ctx.baseEnd : { nodeId: ctx.lastNodeId, sequenceId: ctx.lastNodeSequenceId }
  if (stitch === undefined || first.nodeId !== stitch.nodeId || first.sequenceId !== stitch.sequenceId) {
    const expected = stitch === undefined ? 'nothing to stitch to' : `"${stitch.nodeId}" sequenceId ${stitch.sequenceId}`
    return reject('orderUpdateError', order, `the update starts at "${first.nodeId}" sequenceId ${first.sequenceId}, not at the stitching node: ${expected} (6.6.2)`, { nodeId: first.nodeId, sequenceId: first.sequenceId })
  }
  return { kind: 'update' }
}
