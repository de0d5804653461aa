/**
 * The simulator's world of people (pure: no I/O, no timers; the caller advances sim time).
 *
 * Experts follow the roster of the day, staff walk rounds through the zones they may enter, a few
 * visitors come and go in the public zones, and scenario deviations bend the day where they say.
 * step() is O(people): each agent replays only the actions that ended since the last step.
 */
import type { Venue } from '../../config/schema/venue.js'
import { mulberry32 } from '../../shared/random.js'
import { Agent, type Behaviour } from './agent.js'
import { ExpertAgent, expertLife, staffLife, visitorLife, type Ctx } from './behaviours.js'
import { applyDeviation, validDeviation, type DevWorld } from './deviations.js'
import { FloorPlan } from './plan.js'
import { planExperts, subSeed, type ExpertPlan } from './schedule.js'
import type { Deviation, SimPerson } from './types.js'

export interface WorldOptions {
  /** Seeds every agent's choices: the same seed and step times give the same positions. */
  seed: number
  /** Sim time the world starts at, epoch ms. */
  start_ms: number
  /** Visitors who come and go in the public zones (entrance, dining); default 3. */
  visitors?: number
}

const PUBLIC_KINDS = ['entrance', 'dining'] as const

export class World {
  readonly plan: FloorPlan
  private readonly agents: Agent[] = []
  private readonly lives = new Map<Agent, () => Behaviour>()
  private readonly subjects = new Map<string, Agent>()
  private readonly byId = new Map<string, Agent>()
  private readonly experts = new Map<string, ExpertAgent>()
  private readonly ctx: Ctx
  private readonly pending: Array<{ d: Deviation; at: number; seq: number }> = []
  private seq = 0
  private spawned = 0
  private t: number
  private readonly seed: number

  constructor(venue: Pick<Venue, 'site' | 'floor' | 'navigation' | 'roster'>, opts: WorldOptions) {
    this.seed = opts.seed >>> 0
    this.t = opts.start_ms
    this.plan = new FloorPlan(venue)
    const plans = planExperts(venue, this.plan, this.seed, opts.start_ms)
    const seated = new Map<string, number>()
    for (const p of plans) seated.set(p.room, (seated.get(p.room) ?? 0) + 1)
    this.ctx = { plan: this.plan, staffIn: new Map(), seated }

    let k = 0
    const agent = (id: string, kind: SimPerson['kind'], subject: string | null): Agent => {
      const rng = mulberry32(subSeed(this.seed, k++))
      const a = new Agent(id, kind, subject, 1.0 + rng() * 0.5, rng, opts.start_ms)
      this.agents.push(a)
      this.byId.set(a.id, a)
      if (subject !== null) this.subjects.set(subject, a)
      return a
    }

    for (const p of plans) {
      const a = agent(`p-${p.subject}`, 'expert', p.subject)
      const e = new ExpertAgent(a, p)
      this.experts.set(p.subject, e)
      this.lives.set(a, () => expertLife(e, this.ctx))
      // started mid-session: those who had arrived are in their rooms; after leaving time, gone
      if (opts.start_ms > p.arrive_ms && opts.start_ms < p.leave_ms) a.place(p.seat, true)
      else if (opts.start_ms >= p.leave_ms) a.left = true
    }

    for (const s of venue.roster.staff) {
      if (this.subjects.has(s.subject)) continue
      const allowedZones = new Set(s.zones.filter((z) => this.plan.zones.has(z) && this.plan.kindOf(z) !== 'restricted'))
      const home = [...allowedZones].find((z) => this.plan.kindOf(z) !== 'corridor') ?? [...allowedZones][0]
      if (home === undefined) continue
      const a = agent(`p-${s.subject}`, 'staff', s.subject)
      const allowed = { key: `staff:${s.subject}`, zones: allowedZones }
      const reach = this.plan.reachable(home, allowedZones)
      const rounds = [...reach].filter((z) => z === home || this.plan.route(this.plan.zone(home).centroid, this.plan.zone(z).centroid, allowed) !== null)
      a.place(this.plan.interiorPoint(home, a.rng, 0.8), true)
      this.lives.set(a, () => staffLife(a, this.ctx, rounds, allowed))
    }

    const entrance = this.plan.ofKind('entrance')
    const publicZones = new Set(this.plan.ofKind(...PUBLIC_KINDS))
    const visitorZones = entrance.length > 0 ? [...this.plan.reachable(entrance[0]!, publicZones)] : []
    const visitors = visitorZones.length > 0 ? (opts.visitors ?? 3) : 0
    for (let i = 0; i < visitors; i++) {
      const a = agent(`p-visitor-${i + 1}`, 'visitor', null)
      a.place(this.plan.street, false)
      this.lives.set(a, () => visitorLife(a, this.ctx, visitorZones))
    }

    for (const a of this.agents) {
      if (!a.present && a.kind === 'expert') a.place(this.plan.street, false)
      a.run(this.lives.get(a)!(), opts.start_ms)
    }
  }

  /** Current sim time, epoch ms. */
  get now(): number {
    return this.t
  }

  /** Advance every agent to sim time t (earlier times than the current one are ignored). */
  step(t_ms: number): void {
    while (this.pending.length > 0 && this.pending[0]!.at <= t_ms) {
      const { d, at } = this.pending.shift()!
      this.advanceAll(Math.max(at, this.t))
      applyDeviation(this.devWorld(), d)
    }
    this.advanceAll(t_ms)
  }

  /** Everyone the world holds (present or not), at the current sim time. */
  people(): SimPerson[] {
    const zoneAt = (p: [number, number]): string | null => this.plan.zoneAt(p)
    return this.agents.map((a) => a.person(zoneAt))
  }

  /**
   * Apply a scenario deviation at sim time at_ms (now if at_ms is not later than the current time).
   * Returns false, doing nothing, for a deviation that is not about people (camera_covered,
   * robot_breakdown) or that names an unknown subject or zone.
   */
  inject(d: Deviation, at_ms: number): boolean {
    if (!validDeviation(this.devWorld(), d)) return false
    if (at_ms <= this.t) applyDeviation(this.devWorld(), d)
    else {
      this.pending.push({ d, at: at_ms, seq: this.seq++ })
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq)
    }
    return true
  }

  /** What an agent is doing ('expected', 'arriving', 'checkin', 'to_room', 'in_room', 'break', 'leaving', 'gone', 'round', 'visiting', ...). */
  activityOf(id: string): string | null {
    return this.byId.get(id)?.activity ?? null
  }

  /** An expert's plan for the day (room, seat, arrival, breaks, leaving time), or null. */
  expertPlan(subject: string): Readonly<ExpertPlan> | null {
    return this.experts.get(subject)?.plan ?? null
  }

  private advanceAll(t: number): void {
    if (t < this.t) return
    this.t = t
    for (const a of this.agents) a.advance(t)
  }

  private devWorld(): DevWorld {
    return {
      ctx: this.ctx,
      now: this.t,
      bySubject: (s) => this.subjects.get(s),
      lifeOf: (a) => this.lives.get(a)?.() ?? idle(),
      spawn: (prefix, behaviour, speed) => {
        const n = ++this.spawned
        const rng = mulberry32(subSeed(this.seed, 1_000_000 + n))
        const a = new Agent(`p-${prefix}-${n}`, 'visitor', null, speed ?? 1.0 + rng() * 0.5, rng, this.t)
        a.place(this.plan.street, false)
        this.agents.push(a)
        this.byId.set(a.id, a)
        a.run(behaviour(a), this.t)
        return a
      },
    }
  }
}

function* idle(): Behaviour {}
