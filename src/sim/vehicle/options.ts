import type { Venue } from '../../config/index.js'

/** Options of a simulated VDA 5050 vehicle. Times named `_s` are sim seconds, `_ms` wall milliseconds. */
export interface SimVehicleOptions {
  /** The venue: navigation graph (node positions), the robot's VDA 5050 identity, the broker's interfaceName. */
  venue: Venue
  /** Robot id in `venue.robots`; gives manufacturer and serialNumber. */
  robot: string
  /** Broker URL, mqtt://host:port or ws://host:port/mqtt. */
  url: string
  /** A 'robot' principal allowed to speak for this robot. */
  username: string
  password: string
  /** Default: `sim-{manufacturer}-{serialNumber}-{pid}-{n}`. */
  clientId?: string
  /** Navigation node the vehicle stands on at start. */
  startNode: string
  /** Driving speed, m/s (default 1.0); an edge's maxSpeed lowers it (VDA 5050 6.7 edge.maxSpeed). */
  speed_mps?: number
  /** Initial state of charge, % (default 100). */
  battery_pct?: number
  /** Charge used per metre driven, % (default 0.01: 10 km on a charge, a service robot's working day). */
  drain_pct_per_m?: number
  /** Charge gained per sim second while charging, % (default 0.5). */
  charge_pct_per_s?: number
  /** Period of the state message, wall ms (default 1000); a state also goes out on every event (VDA 5050 6.10). */
  statePeriod_ms?: number
  /** Period of the visualization message, wall ms (default 200, i.e. 5 Hz; VDA 5050 6.13). */
  visualizationPeriod_ms?: number
  /** Sim clock multiplier: sim seconds per wall second (default 1). */
  speed?: number
  /** Period of the motion loop, wall ms (default 50). */
  tick_ms?: number
  /** Duration of pick and drop, sim seconds (default 1). */
  pickDrop_s?: number
  /** mapId reported in agvPosition (default the site id). */
  mapId?: string
  /** How far from a node the vehicle may stand and still count as on it, m, unless the order's allowedDeviationXY is larger (default 0.1). */
  nodeTolerance_m?: number
  /** MQTT reconnect period, wall ms (default 1000). */
  reconnectPeriod_ms?: number
  /** Called with errors that cannot be reported on the state topic (a failed publish, a throwing handler). */
  onError?: (err: unknown) => void
}

export interface Point {
  x: number
  y: number
}

export interface GraphEdge {
  id: string
  from: string
  to: string
  maxSpeed_mps: number | undefined
}

export const distance = (a: Point, b: Point): number => Math.hypot(b.x - a.x, b.y - a.y)

/** The venue's navigation graph as the vehicle knows it: node positions and which edges join which nodes. */
export class NavGraph {
  readonly nodes = new Map<string, Point>()
  readonly edges = new Map<string, GraphEdge>()

  constructor(venue: Venue) {
    for (const n of venue.navigation.nodes) this.nodes.set(n.id, { x: n.at[0], y: n.at[1] })
    for (const e of venue.navigation.edges) this.edges.set(e.id, { id: e.id, from: e.from, to: e.to, maxSpeed_mps: e.maxSpeed_mps })
  }

  /** Navigation edges are driven both ways; a one-way lane is the fleet's business. */
  joins(edgeId: string, a: string, b: string): boolean {
    const e = this.edges.get(edgeId)
    return e !== undefined && ((e.from === a && e.to === b) || (e.from === b && e.to === a))
  }
}

export interface Resolved {
  venue: Venue
  robot: string
  manufacturer: string
  serialNumber: string
  iface: string
  url: string
  username: string
  password: string
  clientId: string
  startNode: string
  speed_mps: number
  battery_pct: number
  drain_pct_per_m: number
  charge_pct_per_s: number
  statePeriod_ms: number
  visualizationPeriod_ms: number
  speed: number
  tick_ms: number
  pickDrop_s: number
  mapId: string
  nodeTolerance_m: number
  reconnectPeriod_ms: number
  onError: (err: unknown) => void
  graph: NavGraph
}

let clientCounter = 0

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`SimVehicle: ${name} must be a positive number, got ${v}`)
  return v
}

function nonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new Error(`SimVehicle: ${name} must be >= 0, got ${v}`)
  return v
}

/** Apply the defaults and check the options against the venue; no I/O. */
export function resolveOptions(o: SimVehicleOptions): Resolved {
  const robot = o.venue.robots.find((r) => r.id === o.robot)
  if (robot === undefined) throw new Error(`SimVehicle: no robot "${o.robot}" in the venue`)
  const graph = new NavGraph(o.venue)
  if (!graph.nodes.has(o.startNode)) throw new Error(`SimVehicle: start node "${o.startNode}" is not a navigation node`)
  const { manufacturer, serialNumber } = robot.vda5050
  const battery = nonNegative('battery_pct', o.battery_pct ?? 100)
  return {
    venue: o.venue,
    robot: robot.id,
    manufacturer,
    serialNumber,
    iface: o.venue.broker.vda5050Interface,
    url: o.url,
    username: o.username,
    password: o.password,
    clientId: o.clientId ?? `sim-${manufacturer}-${serialNumber}-${process.pid}-${++clientCounter}`,
    startNode: o.startNode,
    speed_mps: positive('speed_mps', o.speed_mps ?? 1.0),
    battery_pct: Math.min(100, battery),
    drain_pct_per_m: nonNegative('drain_pct_per_m', o.drain_pct_per_m ?? 0.01),
    charge_pct_per_s: nonNegative('charge_pct_per_s', o.charge_pct_per_s ?? 0.5),
    statePeriod_ms: positive('statePeriod_ms', o.statePeriod_ms ?? 1000),
    visualizationPeriod_ms: positive('visualizationPeriod_ms', o.visualizationPeriod_ms ?? 200),
    speed: positive('speed', o.speed ?? 1),
    tick_ms: positive('tick_ms', o.tick_ms ?? 50),
    pickDrop_s: nonNegative('pickDrop_s', o.pickDrop_s ?? 1),
    mapId: o.mapId ?? o.venue.site.id,
    nodeTolerance_m: nonNegative('nodeTolerance_m', o.nodeTolerance_m ?? 0.1),
    reconnectPeriod_ms: nonNegative('reconnectPeriod_ms', o.reconnectPeriod_ms ?? 1000),
    onError: o.onError ?? (() => undefined),
    graph,
  }
}
