/**
 * VDA 5050 2.0 orders from legs (master control side).
 *
 * - Node i of a leg gets sequenceId 2i and the edge after it 2i + 1: sequenceIds run across nodes and
 *   edges of one order, starting at 0 (6.6.2).
 * - The first `released` nodes, and the edges between them, are the base (released: true); the rest is
 *   the horizon (6.6.1). An edge is released only if both its nodes are.
 * - An order update keeps the orderId, raises orderUpdateId, and starts at the stitching node: the last
 *   node of the current base, with the same nodeId and sequenceId; nodes before it are left out (6.6.3).
 * - The leg's actions go on its last node (6.7 node.actions).
 * - Node positions refer to the map `mapId`: the venue's site id (one floor plan per venue).
 */
import type { Order } from '../../contract/vda5050/order.js'
import type { NavGraph } from '../graph.js'
import type { Leg, LegAction } from '../link.js'

export type OrderBody = Omit<Order, 'headerId' | 'timestamp' | 'version' | 'manufacturer' | 'serialNumber'>

export function vdaAction(a: LegAction): Order['nodes'][number]['actions'][number] {
  return {
    actionType: a.type,
    actionId: a.id,
    blockingType: a.blocking,
    ...(a.parameters === undefined ? {} : { actionParameters: Object.entries(a.parameters).map(([key, value]) => ({ key, value })) }),
  }
}

/**
 * The order (orderUpdateId 0) or order update for `leg`. `fromIndex` is the stitching node's index
 * for an update (the last released node of the base sent before), 0 for a new order.
 */
export function orderFor(graph: NavGraph, leg: Leg, orderUpdateId: number, fromIndex: number, mapId: string): OrderBody {
  if (leg.nodes.length === 0) throw new Error(`leg ${leg.id} has no nodes`)
  if (leg.released < 1 || leg.released > leg.nodes.length) throw new Error(`leg ${leg.id}: released ${leg.released} of ${leg.nodes.length} nodes`)
  const last = leg.nodes.length - 1
  const nodes: OrderBody['nodes'] = []
  const edges: OrderBody['edges'] = []
  for (let i = fromIndex; i <= last; i++) {
    const id = leg.nodes[i]!
    const [x, y] = graph.position(id)
    nodes.push({
      nodeId: id,
      sequenceId: 2 * i,
      released: i < leg.released,
      nodePosition: { x, y, mapId },
      actions: i === last ? leg.actions.map(vdaAction) : [],
    })
    if (i === last) break
    const next = leg.nodes[i + 1]!
    const edge = graph.edgeBetween(id, next)
    if (edge === undefined) throw new Error(`leg ${leg.id}: no edge between ${id} and ${next}`)
    edges.push({
      edgeId: edge.id,
      sequenceId: 2 * i + 1,
      released: i + 1 < leg.released,
      startNodeId: id,
      endNodeId: next,
      ...(edge.maxSpeed_mps === undefined ? {} : { maxSpeed: edge.maxSpeed_mps }),
      actions: [],
    })
  }
  return { orderId: leg.id, orderUpdateId, nodes, edges }
}
