/** What experts, staff and visitors do on a normal day, as generators of actions. */
import type { Agent, Behaviour } from './agent.js'
import type { FloorPlan, XY } from './plan.js'
import { segDist } from './plan.js'
import type { ExpertPlan } from './schedule.js'

const S = 1000
const MIN = 60_000

export interface Ctx {
  plan: FloorPlan
  /** Staff currently on their way to or in a zone (for capacities). */
  staffIn: Map<string, number>
  /** Experts seated in each room by the roster. */
  seated: Map<string, number>
}

export class ExpertAgent {
  constructor(
    readonly agent: Agent,
    readonly plan: ExpertPlan,
  ) {}
}

/** Walk a route from where the agent stands (no-op when the target is unreachable). */
export function* walkTo(a: Agent, plan: FloorPlan, to: XY, allowed?: { key: string; zones: ReadonlySet<string> }, speed?: number): Behaviour {
  const path = plan.route(a.pos, to, allowed)
  if (path !== null && path.length > 1) yield speed === undefined ? { kind: 'walk', path: path.slice(1) } : { kind: 'walk', path: path.slice(1), speed }
}

/** Come in from the street, pass the gate and stop at the check-in point. */
export function* arrive(a: Agent, plan: FloorPlan, checkin_ms: number): Behaviour {
  a.activity = 'arriving'
  yield { kind: 'appear', at: plan.street }
  yield { kind: 'walk', path: [plan.gateDoor, plan.checkinPoint] }
  a.activity = 'checkin'
  yield { kind: 'stand', until: a.now + checkin_ms }
}

/** Walk out through the exit and leave for the day. */
export function* leave(a: Agent, plan: FloorPlan): Behaviour {
  a.activity = 'leaving'
  yield* walkTo(a, plan, plan.exitStreet)
  yield { kind: 'vanish' }
  a.left = true
  a.activity = 'gone'
}

/** Stay near a seat until a time: stand a few minutes, shift a little, stand again. */
export function* dwell(a: Agent, plan: FloorPlan, zone: string, seat: XY, until: number, margin = 1.2): Behaviour {
  while (a.now < until) {
    yield { kind: 'stand', until: Math.min(until, a.now + (60 + a.rng() * 180) * S) }
    if (a.now >= until) return
    const p: XY = [seat[0] + (a.rng() - 0.5), seat[1] + (a.rng() - 0.5)]
    yield { kind: 'walk', path: [plan.isInterior(zone, p, margin) ? p : seat], speed: 0.5 }
  }
}

/** An expert's day from wherever they are now (also how an expert resumes after a deviation). */
export function* expertLife(e: ExpertAgent, ctx: Ctx): Behaviour {
  const a = e.agent
  const p = e.plan
  const plan = ctx.plan
  if (a.left) return
  if (!a.present) {
    if (a.now >= p.leave_ms) {
      a.left = true
      a.activity = 'gone'
      return
    }
    a.activity = 'expected'
    if (a.now < p.arrive_ms) yield { kind: 'hide', until: p.arrive_ms }
    yield* arrive(a, plan, p.checkin_ms)
  }
  if (a.now < p.leave_ms) {
    a.activity = 'to_room'
    yield* walkTo(a, plan, p.seat)
  }
  for (;;) {
    const next = p.breaks.find((b) => b.start >= a.now)
    const until = next !== undefined ? Math.min(next.start, p.leave_ms) : p.leave_ms
    a.activity = 'in_room'
    yield* dwell(a, plan, p.room, p.seat, until)
    if (a.now >= p.leave_ms || next === undefined) break
    a.activity = 'break'
    yield* walkTo(a, plan, plan.interiorPoint(next.restroom, a.rng, 0.8))
    yield { kind: 'stand', until: a.now + next.dur_ms }
    yield* walkTo(a, plan, p.seat)
  }
  yield* leave(a, plan)
}

/** Staff: rounds through the zones they may enter (no restricted zones), never elsewhere. */
export function* staffLife(a: Agent, ctx: Ctx, rounds: string[], allowed: { key: string; zones: ReadonlySet<string> }): Behaviour {
  const plan = ctx.plan
  a.activity = 'round'
  for (;;) {
    const here = plan.zoneAt(a.pos)
    const choices = rounds.filter((z) => z !== here && hasRoom(ctx, z))
    const zone = choices.length > 0 ? choices[Math.floor(a.rng() * choices.length)]! : here
    if (zone === null) return
    ctx.staffIn.set(zone, (ctx.staffIn.get(zone) ?? 0) + 1)
    try {
      const spot = plan.interiorPoint(zone, a.rng, 0.8)
      yield* walkTo(a, plan, spot, allowed)
      const corridor = plan.kindOf(zone) === 'corridor'
      const until = a.now + (corridor ? 20 + a.rng() * 40 : 120 + a.rng() * 240) * S
      yield* dwell(a, plan, zone, spot, until, 0.8)
    } finally {
      ctx.staffIn.set(zone, (ctx.staffIn.get(zone) ?? 1) - 1)
    }
  }
}

function hasRoom(ctx: Ctx, zone: string): boolean {
  const cap = ctx.plan.zone(zone).capacity
  if (cap === null) return true
  const staff = ctx.staffIn.get(zone) ?? 0
  if (ctx.plan.kindOf(zone) === 'evaluation_room') return staff === 0 && (ctx.seated.get(zone) ?? 0) + 1 <= cap
  return staff + 1 <= Math.max(1, Math.floor(cap / 4))
}

/** Points at least 2.5 m from where arriving people walk (street, gate, check-in stop). */
export function awayFromLane(plan: FloorPlan): (p: XY) => boolean {
  return (p) => segDist(p, plan.street, plan.gateDoor) >= 2.5 && segDist(p, plan.gateDoor, plan.checkinPoint) >= 2.5
}

/** A visitor: comes in from the street now and then, waits in a public zone, goes again. */
export function* visitorLife(a: Agent, ctx: Ctx, zones: string[]): Behaviour {
  const plan = ctx.plan
  const ok = awayFromLane(plan)
  const allowed = { key: 'public', zones: new Set(zones) }
  a.activity = 'outside'
  yield { kind: 'hide', until: a.now + a.rng() * 20 * MIN }
  for (;;) {
    a.activity = 'visiting'
    yield { kind: 'appear', at: plan.street }
    const visits = 1 + Math.floor(a.rng() * 2)
    for (let i = 0; i < visits; i++) {
      const zone = zones[Math.floor(a.rng() * zones.length)]!
      const spot = plan.interiorPoint(zone, a.rng, 0.8, ok)
      yield* walkTo(a, plan, spot, allowed)
      yield { kind: 'stand', until: a.now + (120 + a.rng() * 360) * S }
    }
    yield* walkTo(a, plan, plan.street, allowed)
    yield { kind: 'vanish' }
    a.activity = 'outside'
    yield { kind: 'hide', until: a.now + (10 + a.rng() * 30) * MIN }
  }
}
