/**
 * The floor as walkers see it: zones, doors, the navigation graph and walking routes between any two
 * floor points (pure, cached). A route walks straight to a graph node of its zone (or out through a
 * door of a zone without nodes), follows the navigation graph, and walks straight to the target point
 * (in through a door when the target zone has no node). Routes may be confined to a set of zones.
 */
import type { Venue } from '../../config/schema/venue.js'
import type { ZoneKind } from '../../config/schema/common.js'
import { bounds, pointInPolygon, type Point } from '../../config/geometry.js'
import { ZoneIndex } from '../../config/zones.js'
import { NavGraph } from '../../robots/graph.js'
import type { Rng } from '../../shared/random.js'

export type XY = [number, number]

interface PlanZone {
  id: string
  kind: ZoneKind
  ring: ReadonlyArray<Point>
  box: [number, number, number, number]
  centroid: XY
  capacity: number | null
  /** Graph nodes standing in this zone. */
  nodes: string[]
}

interface PlanDoor {
  id: string
  between: [string, string]
  at: XY
  gate: boolean
}

export const dist = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1])

/** Distance from p to segment a-b. */
export function segDist(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const l2 = dx * dx + dy * dy
  const u = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2))
  return Math.hypot(p[0] - a[0] - u * dx, p[1] - a[1] - u * dy)
}

/** Length of a polyline. */
export function pathLength(path: ReadonlyArray<Point>): number {
  let l = 0
  for (let i = 1; i < path.length; i++) l += dist(path[i - 1]!, path[i]!)
  return l
}

export class FloorPlan {
  readonly zones = new Map<string, PlanZone>()
  readonly doors: PlanDoor[]
  readonly index: ZoneIndex
  private readonly graph: NavGraph
  private readonly graphs = new Map<string, NavGraph>()
  private readonly nodeZone = new Map<string, string | null>()
  private readonly pathCache = new Map<string, XY[] | null>()
  /** Where people come in from the street (inside the entrance zone), the gate door and the check-in stop. */
  readonly street: XY
  readonly gateDoor: XY
  readonly checkinPoint: XY
  /** Where people leave to the street (inside the exit zone). */
  readonly exitStreet: XY

  constructor(private readonly venue: Pick<Venue, 'floor' | 'navigation'>) {
    this.index = new ZoneIndex(venue)
    this.graph = new NavGraph(venue.navigation)
    for (const z of venue.floor.zones) {
      const box = bounds(z.polygon)
      this.zones.set(z.id, {
        id: z.id,
        kind: z.kind,
        ring: z.polygon,
        box,
        centroid: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2],
        capacity: z.capacity ?? null,
        nodes: [],
      })
    }
    for (const n of venue.navigation.nodes) {
      const zone = n.zone ?? this.index.zoneAt(n.at)
      this.nodeZone.set(n.id, zone)
      if (zone !== null) this.zones.get(zone)?.nodes.push(n.id)
    }
    this.doors = venue.floor.doors.map((d) => ({ id: d.id, between: d.between, at: [d.at[0], d.at[1]], gate: d.gate }))

    const entrance = this.ofKind('entrance')[0]
    const checkin = this.ofKind('checkin')[0]
    const exit = this.ofKind('exit')[0]
    const gate =
      this.doors.find((d) => d.gate && entrance !== undefined && d.between.includes(entrance)) ??
      this.doors.find((d) => entrance !== undefined && checkin !== undefined && d.between.includes(entrance) && d.between.includes(checkin))
    const first = venue.navigation.nodes[0]!.at
    this.gateDoor = gate ? gate.at : [first[0], first[1]]
    this.street = entrance ? this.farSide(entrance, this.gateDoor) : [first[0], first[1]]
    const inside = checkin ?? (gate ? gate.between.find((z) => z !== entrance) : undefined)
    this.checkinPoint = inside !== undefined ? this.toward(this.gateDoor, this.zone(inside).centroid, 1) : this.gateDoor
    const exitDoor = exit !== undefined ? this.doors.find((d) => d.between.includes(exit)) : undefined
    this.exitStreet = exit !== undefined ? this.farSide(exit, exitDoor?.at ?? this.zone(exit).centroid) : this.street
  }

  zone(id: string): PlanZone {
    const z = this.zones.get(id)
    if (z === undefined) throw new Error(`unknown zone "${id}"`)
    return z
  }

  kindOf(id: string | null): ZoneKind | null {
    return id === null ? null : (this.zones.get(id)?.kind ?? null)
  }

  ofKind(...kinds: ZoneKind[]): string[] {
    return [...this.zones.values()].filter((z) => kinds.includes(z.kind)).map((z) => z.id)
  }

  zoneAt(p: Point): string | null {
    return this.index.zoneAt(p)
  }

  /** Whether p lies in the zone at least `margin` m from its walls. */
  isInterior(zone: string, p: Point, margin: number): boolean {
    const z = this.zone(zone)
    if (!pointInPolygon(p, z.ring)) return false
    for (let i = 1; i < z.ring.length; i++) if (segDist(p, z.ring[i - 1]!, z.ring[i]!) < margin) return false
    return true
  }

  /** A random point of the zone `margin` m from its walls (and passing `ok`), else the centroid. */
  interiorPoint(zone: string, rng: Rng, margin = 1, ok?: (p: XY) => boolean): XY {
    const z = this.zone(zone)
    const [x0, y0, x1, y1] = z.box
    for (let i = 0; i < 200; i++) {
      const p: XY = [x0 + rng() * (x1 - x0), y0 + rng() * (y1 - y0)]
      if (this.isInterior(zone, p, margin) && (ok === undefined || ok(p))) return p
    }
    return [z.centroid[0], z.centroid[1]]
  }

  /** Zones reachable from `from` through doors, staying inside `allowed`. */
  reachable(from: string, allowed: ReadonlySet<string>): Set<string> {
    const seen = new Set<string>([from])
    const queue = [from]
    while (queue.length > 0) {
      const z = queue.shift()!
      for (const d of this.doors) {
        if (!d.between.includes(z)) continue
        const other = d.between[0] === z ? d.between[1] : d.between[0]
        if (allowed.has(other) && !seen.has(other)) {
          seen.add(other)
          queue.push(other)
        }
      }
    }
    return seen
  }

  /**
   * Walking route from `from` to `to` (both included), or null when the target cannot be reached
   * within `allowed` (key names the allowed set for the cache).
   */
  route(from: XY, to: XY, allowed?: { key: string; zones: ReadonlySet<string> }): XY[] | null {
    const zf = this.zoneAt(from)
    const zt = this.zoneAt(to)
    if (zf !== null && zf === zt) return [from, to]
    const out = this.anchor(zf, from, allowed?.zones)
    const inn = this.anchor(zt, to, allowed?.zones)
    if (out === null || inn === null) return null
    const mid = this.nodePath(out.node, inn.node, allowed)
    if (mid === null) return null
    const path: XY[] = [from, ...out.via, ...mid, ...[...inn.via].reverse(), to]
    // drop repeated points
    return path.filter((p, i) => i === 0 || dist(p, path[i - 1]!) > 1e-6)
  }

  /** The graph node a walker in `zone` at p joins the graph at, and the points on the way to it. */
  private anchor(zone: string | null, p: XY, allowed?: ReadonlySet<string>): { node: string; via: XY[] } | null {
    const usable = (n: string): boolean => allowed === undefined || allowed.has(this.nodeZone.get(n) ?? '')
    if (zone === null) {
      const n = this.nearestOf([...this.graph.nodes.keys()].filter(usable), p)
      return n === null ? null : { node: n, via: [] }
    }
    const own = this.nearestOf(this.zone(zone).nodes.filter(usable), p)
    if (own !== null) return { node: own, via: [] }
    let best: { node: string; via: XY[]; d: number } | null = null
    for (const d of this.doors) {
      if (!d.between.includes(zone)) continue
      const other = d.between[0] === zone ? d.between[1] : d.between[0]
      if (allowed !== undefined && !allowed.has(other)) continue
      const n = this.nearestOf(this.zone(other).nodes.filter(usable), d.at)
      if (n === null) continue
      const cost = dist(p, d.at) + dist(d.at, this.graph.position(n))
      if (best === null || cost < best.d) best = { node: n, via: [d.at], d: cost }
    }
    return best
  }

  private nearestOf(nodes: string[], p: Point): string | null {
    let best: string | null = null
    let bd = Infinity
    for (const n of nodes) {
      const d = dist(this.graph.position(n), p)
      if (d < bd) {
        bd = d
        best = n
      }
    }
    return best
  }

  private nodePath(a: string, b: string, allowed?: { key: string; zones: ReadonlySet<string> }): XY[] | null {
    const key = `${allowed?.key ?? '*'}\u0000${a}\u0000${b}`
    let cached = this.pathCache.get(key)
    if (cached === undefined) {
      const g = allowed === undefined ? this.graph : this.graphFor(allowed.key, allowed.zones)
      // a low cruise speed makes every edge's speed limit moot: people take the shortest way
      const path = g.path(a, b, 0.1)
      cached = path === null ? null : path.nodes.map((n) => g.position(n))
      this.pathCache.set(key, cached)
    }
    return cached === null ? null : cached.map((p) => [p[0], p[1]] as XY)
  }

  private graphFor(key: string, zones: ReadonlySet<string>): NavGraph {
    let g = this.graphs.get(key)
    if (g === undefined) {
      const nodes = this.venue.navigation.nodes.filter((n) => zones.has(this.nodeZone.get(n.id) ?? ''))
      const ids = new Set(nodes.map((n) => n.id))
      g = new NavGraph({ nodes, edges: this.venue.navigation.edges.filter((e) => ids.has(e.from) && ids.has(e.to)) })
      this.graphs.set(key, g)
    }
    return g
  }

  /** The point of `zone` farthest from `door` along the line through the zone's centre, 0.3 m inside. */
  private farSide(zone: string, door: XY): XY {
    const c = this.zone(zone).centroid
    let dx = c[0] - door[0]
    let dy = c[1] - door[1]
    const l = Math.hypot(dx, dy)
    if (l < 1e-9) return [c[0], c[1]]
    dx /= l
    dy /= l
    let last: XY = [c[0], c[1]]
    for (let s = 0; s < 1000; s += 0.1) {
      const p: XY = [c[0] + dx * s, c[1] + dy * s]
      if (!pointInPolygon(p, this.zone(zone).ring)) break
      last = p
    }
    return this.toward(last, c, 0.3)
  }

  /** The point `d` m from a toward b (b itself when closer). */
  toward(a: XY, b: XY, d: number): XY {
    const l = dist(a, b)
    if (l <= d || l === 0) return [b[0], b[1]]
    return [a[0] + ((b[0] - a[0]) * d) / l, a[1] + ((b[1] - a[1]) * d) / l]
  }
}
