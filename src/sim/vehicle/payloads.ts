// The simulated vehicle's outgoing payloads: state (VDA 5050 6.10.6) and visualization (6.13).
import type { AgvPosition, Header, State, Visualization } from '../../contract/vda5050/index.js'
import type { VehicleModel } from './model.js'
import type { Resolved } from './options.js'

function position(m: VehicleModel, o: Resolved): AgvPosition {
  return { x: m.x, y: m.y, theta: m.theta, mapId: o.mapId, positionInitialized: true, localizationScore: 1 }
}

export function stateOf(m: VehicleModel, o: Resolved, header: Header): State {
  const s: State = {
    ...header,
    orderId: m.orderId, // kept until a new order is received; "" before the first
    orderUpdateId: m.orderUpdateId,
    lastNodeId: m.lastNodeId,
    lastNodeSequenceId: m.lastNodeSequenceId,
    // 6.10.1: the nodes and edges still to traverse, base and horizon
    nodeStates: m.nodes.map((n) => ({
      nodeId: n.nodeId,
      sequenceId: n.sequenceId,
      released: n.released,
      ...(n.nodeDescription === undefined ? {} : { nodeDescription: n.nodeDescription }),
      ...(n.nodePosition === undefined ? {} : { nodePosition: n.nodePosition }),
    })),
    edgeStates: m.edges.map((e) => ({
      edgeId: e.edgeId,
      sequenceId: e.sequenceId,
      released: e.released,
      ...(e.edgeDescription === undefined ? {} : { edgeDescription: e.edgeDescription }),
    })),
    agvPosition: position(m, o),
    velocity: { vx: m.velocity, vy: 0, omega: 0 },
    loads: m.loads.map((l) => ({ ...l })), // the vehicle knows its loads: [] means unloaded
    driving: m.driving,
    paused: m.paused,
    // 6.10.3: almost at the end of the base with a horizon waiting for release
    newBaseRequest: m.nodes.some((n) => !n.released) && m.nodes.filter((n) => n.released).length <= 1,
    distanceSinceLastNode: m.distanceSinceLastNode,
    actionStates: m.actions.states(),
    batteryState: {
      batteryCharge: m.battery,
      charging: m.charging,
      ...(o.drain_pct_per_m > 0 ? { reach: Math.floor(m.battery / o.drain_pct_per_m) } : {}),
    },
    operatingMode: 'AUTOMATIC',
    errors: m.errorEntries(),
    safetyState: { eStop: 'NONE', fieldViolation: false },
  }
  if (m.zoneSetId !== undefined) s.zoneSetId = m.zoneSetId
  return s
}

export function visualizationOf(m: VehicleModel, o: Resolved, header: Header): Visualization {
  return { ...header, agvPosition: position(m, o), velocity: { vx: m.velocity, vy: 0, omega: 0 } }
}
