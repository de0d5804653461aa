import type { Venue } from '../../src/config/index.js'
import { mulberry32 } from '../../src/shared/random.js'

/**
 * A made-up venue state for the page's own tests and the frame-rate bench: people walking between
 * zones, robots that drive patrols along the navigation graph. Payloads are shaped as the contract
 * (src/contract/venue) says, so the page reads exactly what the real console sends.
 */

interface Walker { id: string; subject: string; category: 'expert' | 'staff' | 'unknown'; project: string | null; x: number; y: number; tx: number; ty: number; speed: number }
interface Bot { id: string; kind: string; x: number; y: number; route: [number, number][]; mission: string | null; battery: number; node: string | null }

const stampNow = (t: number): { schemaVersion: string; timestamp: string } => ({ schemaVersion: '1.0.0', timestamp: new Date(t).toISOString() })

export class FakeWorld {
  private readonly walkers: Walker[] = []
  readonly bots = new Map<string, Bot>()
  readonly missions = new Map<string, Record<string, unknown>>()
  private readonly random: () => number
  private readonly spots: [number, number][]
  private readonly nodes: Map<string, [number, number]>
  private missionSeq = 0
  /** robots without a mission wander (the bench's load), instead of waiting at their dock */
  private roving = false

  constructor(venue: Venue, people: number, seed = 7) {
    this.random = mulberry32(seed)
    // walkable spots: the centre of every zone's bounding box
    this.spots = venue.floor.zones.map((z) => {
      const xs = z.polygon.map((p) => p[0])
      const ys = z.polygon.map((p) => p[1])
      return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2]
    })
    this.nodes = new Map(venue.navigation.nodes.map((n) => [n.id, n.at]))
    const projects = venue.roster.projects
    for (let i = 0; i < people; i++) {
      const r = this.random()
      const category = r < 0.1 ? 'unknown' : r < 0.2 ? 'staff' : 'expert'
      const project = category === 'expert' ? (projects[i % projects.length]?.id ?? null) : null
      const [x, y] = this.spot()
      const [tx, ty] = this.spot()
      this.walkers.push({ id: `t-${i}`, subject: category === 'unknown' ? 'unknown' : `sub-fake${String(i).padStart(4, '0')}`, category, project, x, y, tx, ty, speed: 0.8 + this.random() * 0.8 })
    }
    for (const r of venue.robots) {
      const at = this.nodes.get(r.dockNode) ?? [1, 1]
      this.bots.set(r.id, { id: r.id, kind: r.kind, x: at[0], y: at[1], route: [], mission: null, battery: 60 + this.random() * 40, node: r.dockNode })
    }
  }

  /**
   * Add robots (copies of the venue's patrol robot) that walk the navigation graph for ever, so
   * that the map has `total` robots moving (the load: 10).
   */
  addRovers(total: number): void {
    const ids = [...this.nodes.keys()]
    for (let i = this.bots.size; i < total; i++) {
      const at = this.nodes.get(ids[i % ids.length] ?? '') ?? [1, 1]
      this.bots.set(`rv-${i}`, { id: `rv-${i}`, kind: 'patrol', x: at[0], y: at[1], route: [], mission: null, battery: 90, node: null })
    }
    this.roving = true
  }

  private spot(): [number, number] {
    const s = this.spots[Math.floor(this.random() * this.spots.length)] ?? [1, 1]
    return [s[0] + (this.random() - 0.5) * 2, s[1] + (this.random() - 0.5) * 2]
  }

  /** Advance people and robots by dt seconds; returns the robots that moved. */
  step(dt: number): Bot[] {
    for (const w of this.walkers) {
      const dx = w.tx - w.x
      const dy = w.ty - w.y
      const d = Math.hypot(dx, dy)
      if (d < 0.3) [w.tx, w.ty] = this.spot()
      else {
        const k = Math.min(1, (w.speed * dt) / d)
        w.x += dx * k
        w.y += dy * k
      }
    }
    const moved: Bot[] = []
    for (const b of this.bots.values()) {
      if (b.route.length === 0 && this.roving) b.route = [this.spot(), this.spot()]
      const next = b.route[0]
      if (next === undefined) continue
      const dx = next[0] - b.x
      const dy = next[1] - b.y
      const d = Math.hypot(dx, dy)
      const k = d < 1e-6 ? 1 : Math.min(1, (1.0 * dt) / d)
      b.x += dx * k
      b.y += dy * k
      b.battery = Math.max(0, b.battery - 0.01)
      if (k >= 1) b.route.shift()
      if (b.route.length === 0 && b.mission !== null) this.finish(b, 'completed')
      moved.push(b)
    }
    return moved
  }

  tracks(now: number): Record<string, unknown> {
    return {
      ...stampNow(now),
      tracks: this.walkers.map((w) => ({ id: w.id, subject: w.subject, category: w.category, project: w.project, zone: null, floor: [w.x, w.y], cameras: [], lastSeenAt: new Date(now).toISOString() })),
    }
  }

  robotStatus(b: Bot, now: number): Record<string, unknown> {
    return {
      ...stampNow(now),
      robot: b.id,
      kind: b.kind,
      connection: 'online',
      mode: b.mission === null ? 'idle' : 'mission',
      battery_pct: Math.round(b.battery * 10) / 10,
      floor: [b.x, b.y],
      theta_rad: 0,
      node: b.node,
      mission: b.mission,
      errors: [],
      faults: [],
    }
  }

  /** A patrol along the given nodes, by the robot or the first idle one; the mission's state, or an error. */
  startPatrol(robot: string | undefined, nodes: string[], now: number): Record<string, unknown> | string {
    const bot = robot === undefined ? [...this.bots.values()].find((b) => b.mission === null) : this.bots.get(robot)
    if (bot === undefined) return 'no such robot'
    const route = nodes.map((n) => this.nodes.get(n)).filter((p): p is [number, number] => p !== undefined)
    if (route.length === 0) return 'a patrol needs nodes'
    const id = `m-${++this.missionSeq}`
    bot.route = route
    bot.mission = id
    const state = { ...stampNow(now), missionId: id, requestId: `r-${this.missionSeq}`, kind: 'patrol', robot: bot.id, state: 'running', step: `patrolling ${nodes.length} waypoints`, progress: 0, startedAt: new Date(now).toISOString(), endedAt: null }
    this.missions.set(id, state)
    return state
  }

  finish(b: Bot, how: 'completed' | 'cancelled'): Record<string, unknown> | undefined {
    const m = b.mission === null ? undefined : this.missions.get(b.mission)
    b.mission = null
    b.route = []
    if (m === undefined) return undefined
    const done = { ...m, ...stampNow(Date.now()), state: how, progress: how === 'completed' ? 1 : m['progress'], endedAt: new Date().toISOString() }
    this.missions.set(String(m['missionId']), done)
    return done
  }
}
