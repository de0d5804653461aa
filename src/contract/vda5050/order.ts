// VDA 5050 2.x topic "order", master control to vehicle (VDA 5050 6.6, 6.7).
import { z } from 'zod'
import { Action, Float64, headerFields, NodePosition, Theta, Trajectory, Uint32 } from './common.js'

export const OrientationType = z
  .enum(['GLOBAL', 'TANGENTIAL'])
  .describe('GLOBAL: relative to the global project-specific map coordinate system; TANGENTIAL: tangential to the edge (the default).')
export type OrientationType = z.infer<typeof OrientationType>

export const CorridorRefPoint = z
  .enum(['KINEMATICCENTER', 'CONTOUR'])
  .describe('Whether the corridor boundaries hold for the kinematic centre (the default) or the contour of the vehicle.')
export type CorridorRefPoint = z.infer<typeof CorridorRefPoint>

export const Corridor = z
  .object({
    leftWidth: Float64.min(0).describe('Width of the corridor to the left of the trajectory, metres.'),
    rightWidth: Float64.min(0).describe('Width of the corridor to the right of the trajectory, metres.'),
    corridorRefPoint: CorridorRefPoint.optional(),
  })
  .describe('Boundaries within which the vehicle may deviate from its trajectory, e.g. to avoid obstacles (VDA 5050 2.1, 6.7 corridor).')
export type Corridor = z.infer<typeof Corridor>

const sequenceId = Uint32.describe(
  'Tracks the sequence of nodes and edges in an order: runs across all nodes and edges of one order (first node 0, first edge 1, ...) and is reset with a new orderId (VDA 5050 6.6.2).',
)

export const Node = z
  .object({
    nodeId: z.string().min(1).describe('Unique node identification.'),
    sequenceId,
    nodeDescription: z.string().optional().describe('Additional information on the node.'),
    released: z.boolean().describe('true: the node is part of the base; false: part of the horizon (VDA 5050 6.6.1).'),
    nodePosition: NodePosition.optional().describe(
      'Node position; optional for vehicle types that do not need it, e.g. line-guided vehicles.',
    ),
    actions: z.array(Action).describe('Actions to be executed on the node; empty array if none.'),
  })
  .describe('A node of the order graph (VDA 5050 6.7 node).')
export type Node = z.infer<typeof Node>

export const Edge = z
  .object({
    edgeId: z.string().min(1).describe('Unique edge identification.'),
    sequenceId,
    edgeDescription: z.string().optional().describe('Additional information on the edge.'),
    released: z.boolean().describe('true: the edge is part of the base; false: part of the horizon. Released only if both its nodes are.'),
    startNodeId: z.string().min(1).describe('nodeId of the start node.'),
    endNodeId: z.string().min(1).describe('nodeId of the end node.'),
    maxSpeed: Float64.optional().describe('Permitted maximum speed on the edge, m/s, by the fastest measurement of the vehicle.'),
    maxHeight: Float64.optional().describe('Permitted maximum height of the vehicle including the load on the edge, metres.'),
    minHeight: Float64.optional().describe('Permitted minimal height of the load handling device on the edge, metres.'),
    orientation: Theta.optional().describe(
      'Orientation of the vehicle on the edge, rad, [-Pi, Pi]; interpreted according to orientationType (tangential: 0 = forwards, Pi = backwards).',
    ),
    orientationType: OrientationType.optional(),
    direction: z
      .string()
      .optional()
      .describe('Direction at junctions for line-guided or wire-guided vehicles, e.g. "left", "right", "straight", "433MHz".'),
    rotationAllowed: z.boolean().optional().describe('true: rotation is allowed on the edge; false: not allowed. No limit if not set.'),
    maxRotationSpeed: Float64.optional().describe('Maximum rotation speed, rad/s. No limit if not set.'),
    trajectory: Trajectory.optional().describe(
      'The curve the vehicle should follow between start and end node, as a NURBS; omitted if the vehicle plans its own path.',
    ),
    length: Float64.optional().describe('Length of the path from start node to end node, metres; used by line-guided vehicles to slow down in time.'),
    corridor: Corridor.optional(),
    actions: z
      .array(Action)
      .describe('Actions to be executed on the edge, active only while the vehicle traverses it; empty array if none.'),
  })
  .describe('A directional connection between two nodes (VDA 5050 6.7 edge).')
export type Edge = z.infer<typeof Edge>

export const Order = z
  .strictObject({
    ...headerFields,
    orderId: z
      .string()
      .min(1)
      .describe('Order identification; identifies the several order messages (updates) that belong to one order.'),
    orderUpdateId: Uint32.describe(
      'Order update identification, unique per orderId, starting at 0; passed back when an update is rejected (VDA 5050 6.6.2).',
    ),
    zoneSetId: z
      .string()
      .optional()
      .describe('Zone set the vehicle has to use for navigation or that master control used for planning; left out if no zones are used.'),
    nodes: z
      .array(Node)
      .min(1)
      .describe('Nodes to traverse, in order. At least one node makes a valid order (VDA 5050 6.6.1).'),
    edges: z
      .array(Edge)
      .describe('Edges to traverse, in order: one fewer than the nodes; empty for a one-node order (VDA 5050 6.6.1).'),
  })
  .superRefine((order, ctx) => {
    const { nodes, edges } = order
    if (nodes.length > 0 && edges.length !== nodes.length - 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['edges'],
        message: `an order with ${nodes.length} node(s) has exactly ${nodes.length - 1} edge(s), got ${edges.length} (VDA 5050 6.6.1)`,
      })
      return
    }
    // The lists give the sequence: node 0, edge 0, node 1, ... Edge i joins node i to node i + 1.
    edges.forEach((edge, i) => {
      const from = nodes[i]!
      const to = nodes[i + 1]!
      if (edge.startNodeId !== from.nodeId || edge.endNodeId !== to.nodeId) {
        ctx.addIssue({
          code: 'custom',
          path: ['edges', i],
          message: `edge ${i} must join nodes[${i}] "${from.nodeId}" to nodes[${i + 1}] "${to.nodeId}", got "${edge.startNodeId}" -> "${edge.endNodeId}" (VDA 5050 6.6.1)`,
        })
      }
    })
    const sequence = nodes.flatMap((node, i) => {
      const edge = edges[i]
      return edge ? [{ path: ['nodes', i], item: node }, { path: ['edges', i], item: edge }] : [{ path: ['nodes', i], item: node }]
    })
    let horizonAt: string | undefined
    for (const { path, item } of sequence) {
      if (!item.released) horizonAt ??= path.join('.')
      else if (horizonAt !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'released'],
          message: `released after the horizon began at ${horizonAt}: the base comes first, then the horizon (VDA 5050 6.6.1)`,
        })
      }
    }
  })
  .describe(
    'VDA 5050 6.6/6.7 order, master control to vehicle: a graph of nodes and edges, split into the released base and the unreleased horizon. ' +
      'This contract only sends the fields defined here (no extension fields at the top level).',
  )
export type Order = z.infer<typeof Order>
