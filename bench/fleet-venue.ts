/**
 * bench:fleet's venue and its lower bound on a delivery round.
 *
 * The floor (100 m x 80 m): the kitchen and a dock area with 8 docks on the west, a spine corridor
 * joining them to two wings; each wing is an 80 m corridor with 10 rooms on either side (8 m wide,
 * their hatch 8 m off the corridor), 40 rooms in all. Two single-lane passages: the fire door on the
 * spine between the kitchen and the docks / wing B (e-firedoor, 8 m), and a narrow stretch in the
 * middle of wing A's corridor (e-a-narrow, 8 m). Every trip crosses the fire door at least once.
 *
 *   wing B   room-31..40 (north hatches, y 68)
 *            n-sB - n-b-0 - n-b-1 - ... - n-b-9              (corridor y 60)
 *            room-21..30 (south hatches, y 52)
 *   docks    n-dock-1..8 - n-dockhub - n-sD
 *                                        ||  e-firedoor (single lane)
 *   kitchen  n-kitchen ---------------- n-sK
 *                                        |
 *   wing A   room-11..20 (north hatches, y 28)
 *            n-sA - n-a-0 - ... - n-a-4 ==e-a-narrow== n-a-5 - ... - n-a-9   (corridor y 20)
 *            room-01..10 (south hatches, y 12)
 */
import { hashSecret } from '../src/broker/passwords.js'
import { Venue, type VenueInput } from '../src/config/index.js'
import { NavGraph } from '../src/robots/graph.js'
import { Places } from '../src/robots/places.js'
import { password, SITE } from '../test/helpers/venue.js'

/** Cruise speed of the vehicles and of the fleet's planning, m/s. */
export const SPEED_MPS = 1.2
export const MAX_ROBOTS = 8
export const ROOMS = Array.from({ length: 40 }, (_, i) => `room-${String(i + 1).padStart(2, '0')}`)

type Principals = NonNullable<VenueInput['principals']>

/** admin, monitor, fleet, console and robot-r1..r8, each with password `pw-<name>` (scrypt, once). */
export async function benchPrincipals(): Promise<Principals> {
  const list: Array<{ name: string; role: 'admin' | 'monitor' | 'fleet' | 'console' | 'robot'; robot?: string }> = [
    { name: 'admin', role: 'admin' },
    { name: 'monitor', role: 'monitor' },
    { name: 'fleet', role: 'fleet' },
    { name: 'console', role: 'console' },
    ...Array.from({ length: MAX_ROBOTS }, (_, i) => ({ name: `robot-r${i + 1}`, role: 'robot' as const, robot: `r${i + 1}` })),
  ]
  return Promise.all(list.map(async (p) => ({ ...p, secretHash: await hashSecret(password(p.name)) })))
}

const rect = (x: number, y: number, w: number, h: number): [number, number][] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
  [x, y],
]

export const dockNode = (i: number): string => `n-dock-${i}`

/** The venue with robots r1..r`robots` (delivery, VDA 5050), each on its own dock. */
export function benchVenue(robots: number, principals: Principals, mealsPerTrip: number): Venue {
  type Zone = NonNullable<VenueInput['floor']>['zones'][number]
  const zones: Zone[] = [
    { id: 'kitchen', kind: 'kitchen', polygon: rect(0, 30, 14, 20) },
    { id: 'docks', kind: 'dock', polygon: rect(0, 52, 14, 16) },
    { id: 'spine', kind: 'corridor', polygon: rect(14, 0, 6, 80) },
    { id: 'corridor-a', kind: 'corridor', polygon: rect(20, 16, 80, 8) },
    { id: 'corridor-b', kind: 'corridor', polygon: rect(20, 56, 80, 8) },
  ]
  type Node = VenueInput['navigation']['nodes'][number]
  type Edge = NonNullable<VenueInput['navigation']['edges']>[number]
  const nodes: Node[] = [
    { id: 'n-kitchen', at: [7, 40] },
    { id: 'n-sA', at: [17, 20] },
    { id: 'n-sK', at: [17, 40] },
    { id: 'n-sD', at: [17, 48] },
    { id: 'n-sB', at: [17, 60] },
    { id: 'n-dockhub', at: [7, 56] },
  ]
  const edges: Edge[] = [
    { id: 'e-kitchen', from: 'n-kitchen', to: 'n-sK' },
    { id: 'e-spine-a', from: 'n-sA', to: 'n-sK' },
    { id: 'e-firedoor', from: 'n-sK', to: 'n-sD', singleLane: true },
    { id: 'e-spine-b', from: 'n-sD', to: 'n-sB' },
    { id: 'e-dockhub', from: 'n-dockhub', to: 'n-sD' },
  ]
  for (let i = 1; i <= MAX_ROBOTS; i++) {
    nodes.push({ id: dockNode(i), at: [1.5 + 1.6 * (i - 1), 64] })
    edges.push({ id: `e-dock-${i}`, from: dockNode(i), to: 'n-dockhub' })
  }
  // wings: corridor nodes every 8 m, a hatch 8 m off on either side
  const wings = [
    { w: 'a', y: 20, spine: 'n-sA', south: { first: 1, y: 0, h: 16 }, north: { first: 11, y: 24, h: 12 }, narrowAfter: 4 },
    { w: 'b', y: 60, spine: 'n-sB', south: { first: 21, y: 44, h: 12 }, north: { first: 31, y: 64, h: 16 }, narrowAfter: -1 },
  ]
  for (const wing of wings) {
    for (let j = 0; j < 10; j++) {
      const x = 24 + 8 * j
      const c = `n-${wing.w}-${j}`
      nodes.push({ id: c, at: [x, wing.y] })
      if (j === 0) edges.push({ id: `e-${wing.w}-in`, from: wing.spine, to: c })
      else if (j - 1 === wing.narrowAfter) edges.push({ id: `e-${wing.w}-narrow`, from: `n-${wing.w}-${j - 1}`, to: c, singleLane: true })
      else edges.push({ id: `e-${wing.w}-${j}`, from: `n-${wing.w}-${j - 1}`, to: c })
      for (const [side, dy] of [[wing.south, -8], [wing.north, 8]] as const) {
        const room = ROOMS[side.first - 1 + j]!
        zones.push({ id: room, kind: 'evaluation_room', polygon: rect(20 + 8 * j, side.y, 8, side.h) })
        nodes.push({ id: `n-${room}`, at: [x, wing.y + dy] })
        edges.push({ id: `e-${room}`, from: c, to: `n-${room}` })
      }
    }
  }
  return Venue.parse({
    schemaVersion: 1,
    site: { id: SITE, name: 'Fleet bench venue' },
    floor: { width_m: 100, height_m: 80, zones },
    navigation: { nodes, edges },
    cameras: [],
    robots: Array.from({ length: robots }, (_, i) => ({
      id: `r${i + 1}`,
      kind: 'delivery' as const,
      dockNode: dockNode(i + 1),
      vda5050: { manufacturer: 'Acme', serialNumber: `D-${String(i + 1).padStart(3, '0')}` },
    })),
    roster: {
      sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
      projects: [{ id: 'p1', session: 'am', rooms: ['room-01'], experts: ['sub-aaaa1111'] }],
    },
    principals,
    fleet: { mealsPerTrip, speed_mps: SPEED_MPS },
  } satisfies VenueInput)
}

export interface Bound {
  /** dock -> kitchen (load) -> the farthest room (hand-over) -> dock, best robot, sim s. */
  trip_s: number
  tripRoom: string
  /** Work of the whole round divided among the robots, sim s. */
  work_s: number
  /** Σ travel lower bound, loading and hand-over over all deliveries (before dividing), sim s. */
  workTotal_s: number
  /** The simpler per-meal form: Σ (kitchen -> room -> kitchen + hatch) + loading per trip, / robots. */
  perMeal_s: number
  bound_s: number
  binding: 'trip' | 'work'
}

/**
 * A lower bound on the time of a round: max(longest single trip, total work / robots).
 *
 * Work, per trip of at most m = mealsPerTrip meals: loading at the kitchen, a hand-over at each hatch,
 * and travel of at least D(r) + R(r) for every room r on it, where D(r) = kitchen -> r and R(r) = the
 * shorter of r -> kitchen and r -> the nearest dock (a trip leaves the kitchen and ends at a dock, and
 * the next one starts from the kitchen again). So a trip's travel is at least the largest D + R among
 * its rooms; over any split of the rooms into trips of <= m, the sum of those maxima is at least the sum
 * of every m-th value of D + R sorted from the largest, and there are at least ceil(n / m) loadings.
 * With m = 1 this is the per-meal form (kitchen -> room -> back, hatch, loading). Not counted:
 * travel between rooms of one trip, each robot's first dock -> kitchen, and queueing at the single lanes.
 */
export function lowerBound(venue: Venue, rooms: readonly string[], robots: number, load_s: number, hatch_s: number): Bound {
  const graph = new NavGraph(venue.navigation)
  const places = new Places(venue)
  const v = venue.fleet.speed_mps
  const m = venue.fleet.mealsPerTrip
  const t = (a: string, b: string): number => {
    const p = graph.path(a, b, v)
    if (p === null) throw new Error(`no path ${a} -> ${b}`)
    return p.time_s
  }
  const kitchen = places.nodeOfKind('kitchen')!
  const docks = Array.from({ length: robots }, (_, i) => dockNode(i + 1))
  let trip = { s: 0, room: '' }
  const f: number[] = []
  let perMealTravel = 0
  for (const room of rooms) {
    const hatch = places.nodeIn(room)!
    const D = t(kitchen, hatch)
    const R = Math.min(D, ...docks.map((d) => t(hatch, d)))
    f.push(D + R)
    perMealTravel += 2 * D
    const s = Math.min(...docks.map((d) => t(d, kitchen) + t(hatch, d))) + load_s + D + hatch_s
    if (s > trip.s) trip = { s, room }
  }
  f.sort((a, b) => b - a)
  const trips = Math.ceil(rooms.length / m)
  let travel = 0
  for (let k = 0; k < f.length; k += m) travel += f[k]!
  const workTotal_s = travel + trips * load_s + rooms.length * hatch_s
  const work_s = workTotal_s / robots
  const perMeal_s = (perMealTravel + rooms.length * hatch_s + trips * load_s) / robots
  const bound_s = Math.max(trip.s, work_s)
  return { trip_s: trip.s, tripRoom: trip.room, work_s, workTotal_s, perMeal_s, bound_s, binding: trip.s >= work_s ? 'trip' : 'work' }
}
