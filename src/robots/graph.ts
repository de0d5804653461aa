/**
 * The robots' navigation graph from the venue file: nodes with positions, edges that can be driven
 * both ways, shortest paths by travel time (length at the edge's speed limit, else the robot's speed).
 */
import type { NavEdge, NavNode } from '../config/schema/floor.js'
import type { Venue } from '../config/schema/venue.js'

export interface Hop {
  edge: NavEdge
  /** The node this hop leads to. */
  to: string
  length_m: number
}

export interface Path {
  /** Node ids, start first; a single node when start = goal. */
  nodes: string[]
  /** The edge between nodes[i] and nodes[i + 1]. */
  edges: NavEdge[]
  length_m: number
  /** At the given cruise speed, capped by each edge's maxSpeed_mps. */
  time_s: number
}

export class NavGraph {
  readonly nodes = new Map<string, NavNode>()
  private readonly adjacency = new Map<string, Hop[]>()

  constructor(navigation: Venue['navigation']) {
    for (const n of navigation.nodes) {
      this.nodes.set(n.id, n)
      this.adjacency.set(n.id, [])
    }
    for (const e of navigation.edges) {
      const a = this.nodes.get(e.from)
      const b = this.nodes.get(e.to)
      if (a === undefined || b === undefined) continue // the venue check reports it
      const length_m = Math.hypot(a.at[0] - b.at[0], a.at[1] - b.at[1])
      this.adjacency.get(e.from)?.push({ edge: e, to: e.to, length_m })
      this.adjacency.get(e.to)?.push({ edge: e, to: e.from, length_m })
    }
  }

  node(id: string): NavNode {
    const n = this.nodes.get(id)
    if (n === undefined) throw new Error(`unknown navigation node "${id}"`)
    return n
  }

  position(id: string): [number, number] {
    const at = this.node(id).at
    return [at[0], at[1]]
  }

  hops(id: string): readonly Hop[] {
    return this.adjacency.get(id) ?? []
  }

  /** The node nearest to a floor point. */
  nearest(p: readonly [number, number]): string | null {
    let best: { id: string; d: number } | null = null
    for (const n of this.nodes.values()) {
      const d = Math.hypot(n.at[0] - p[0], n.at[1] - p[1])
      if (best === null || d < best.d) best = { id: n.id, d }
    }
    return best?.id ?? null
  }

  /** Fastest path at `speed_mps` (Dijkstra), or null when `to` cannot be reached from `from`. */
  path(from: string, to: string, speed_mps = 1): Path | null {
    if (!this.nodes.has(from) || !this.nodes.has(to)) return null
    const time = new Map<string, number>([[from, 0]])
    const prev = new Map<string, { node: string; hop: Hop }>()
    const done = new Set<string>()
    const queue: Array<[number, string]> = [[0, from]]
    while (queue.length > 0) {
      // graphs of a venue have tens to hundreds of nodes: a sorted array is plenty
      queue.sort((a, b) => a[0] - b[0])
      const [t, id] = queue.shift()!
      if (done.has(id)) continue
      done.add(id)
      if (id === to) break
      for (const hop of this.hops(id)) {
        const v = Math.min(speed_mps, hop.edge.maxSpeed_mps ?? speed_mps)
        const nt = t + hop.length_m / v
        if (nt < (time.get(hop.to) ?? Infinity)) {
          time.set(hop.to, nt)
          prev.set(hop.to, { node: id, hop })
          queue.push([nt, hop.to])
        }
      }
    }
    if (!time.has(to)) return null
    const nodes = [to]
    const edges: NavEdge[] = []
    let length_m = 0
    for (let at = to; at !== from; ) {
      const p = prev.get(at)
      if (p === undefined) return null
      nodes.unshift(p.node)
      edges.unshift(p.hop.edge)
      length_m += p.hop.length_m
      at = p.node
    }
    return { nodes, edges, length_m, time_s: time.get(to) ?? 0 }
  }

  /** The edge joining two adjacent nodes. */
  edgeBetween(a: string, b: string): NavEdge | undefined {
    return this.hops(a).find((h) => h.to === b)?.edge
  }

  /** Join paths end to start (each next path starts where the previous ended). */
  static concat(paths: readonly Path[]): Path {
    const first = paths[0]
    if (first === undefined) throw new Error('no path to join')
    const out: Path = { nodes: [...first.nodes], edges: [...first.edges], length_m: first.length_m, time_s: first.time_s }
    for (const p of paths.slice(1)) {
      if (p.nodes[0] !== out.nodes.at(-1)) throw new Error(`paths do not meet: ${out.nodes.at(-1)} then ${p.nodes[0]}`)
      out.nodes.push(...p.nodes.slice(1))
      out.edges.push(...p.edges)
      out.length_m += p.length_m
      out.time_s += p.time_s
    }
    return out
  }
}
