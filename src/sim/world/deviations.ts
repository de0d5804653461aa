/**
 * Scenario deviations as behaviours: each interrupts the people it concerns at the injection time and,
 * where the person stays in the venue, hands them back to their normal day afterwards.
 */
import type { Action, Agent, Behaviour } from './agent.js'
import { arrive, leave, walkTo, type Ctx } from './behaviours.js'
import { dist, pathLength, type XY } from './plan.js'
import type { Deviation } from './types.js'

const S = 1000

export interface DevWorld {
  ctx: Ctx
  /** The agent of an enrolled subject (expert or staff). */
  bySubject(subject: string): Agent | undefined
  /** The normal day of an agent from where it stands. */
  lifeOf(a: Agent): Behaviour
  /** A new agent (present false) whose behaviour starts at the current sim time. */
  spawn(prefix: string, behaviour: (a: Agent) => Behaviour, speed?: number): Agent
  now: number
}

/** Whether a deviation names people and zones the world knows (camera_covered and robot_breakdown: false, not people). */
export function validDeviation(w: DevWorld, d: Deviation): boolean {
  const zone = (z: string): boolean => w.ctx.plan.zones.has(z)
  switch (d.kind) {
    case 'wrong_room':
      return w.bySubject(d.subject) !== undefined && zone(d.room)
    case 'cross_project_meeting':
      return d.subjects.every((s) => w.bySubject(s) !== undefined) && zone(d.zone) && d.subjects[0] !== d.subjects[1]
    case 'tailgate':
      return w.bySubject(d.behind) !== undefined
    case 'leave_early':
      return w.bySubject(d.subject) !== undefined
    case 'photo_at_checkin':
      return true
    case 'intruder':
      return zone(d.zone)
    case 'camera_covered':
    case 'robot_breakdown':
      return false
  }
}

/** Apply a (valid) deviation at the world's current time. */
export function applyDeviation(w: DevWorld, d: Deviation): void {
  const plan = w.ctx.plan
  switch (d.kind) {
    case 'wrong_room': {
      const a = w.bySubject(d.subject)!
      const spot = plan.interiorPoint(d.room, a.rng, 1.2)
      a.run(visit(w, a, spot, d.for_s * S, 'wrong_room'), w.now)
      return
    }
    case 'cross_project_meeting': {
      const [a, b] = d.subjects.map((s) => w.bySubject(s)!) as [Agent, Agent]
      const m = plan.interiorPoint(d.zone, a.rng, 1.2)
      const ang = a.rng() * Math.PI * 2
      const off: XY = [Math.cos(ang) * 0.5, Math.sin(ang) * 0.5]
      const meeting = { arrived: 0, until: Infinity, for_ms: d.for_s * S }
      a.run(meet(w, a, [m[0] - off[0], m[1] - off[1]], meeting), w.now)
      b.run(meet(w, b, [m[0] + off[0], m[1] + off[1]], meeting), w.now)
      return
    }
    case 'tailgate': {
      const a = w.bySubject(d.behind)!
      if (a.left) return
      // the person walks (back) out to the lobby, then in through the gate with someone on their heels
      const lobby = plan.toward(plan.street, plan.gateDoor, 1.5)
      const out = a.present ? plan.route(a.pos, lobby) : null
      const t0 = a.present ? w.now + ((out === null ? dist(a.pos, lobby) : pathLength(out)) / a.speed) * S : w.now
      const startAt = a.present ? lobby : plan.street
      a.run(tailgated(w, a, out, lobby), w.now)
      const lag = 1.2 * S - (dist(plan.street, startAt) / a.speed) * S
      w.spawn('tailgater', (t) => tailgater(w, t, t0 + lag), a.speed)
      return
    }
    case 'leave_early': {
      const a = w.bySubject(d.subject)!
      a.run(leaveNow(w, a), w.now)
      return
    }
    case 'photo_at_checkin': {
      const subject = d.subject
      w.spawn('spoofer', (t) => spoofer(w, t, subject))
      return
    }
    case 'intruder': {
      const zone = d.zone
      const for_ms = d.for_s * S
      w.spawn('intruder', (t) => intruder(w, t, zone, for_ms))
      return
    }
    case 'camera_covered':
    case 'robot_breakdown':
      return
  }
}

/** Bring someone not yet arrived in through the gate; false when they have left for the day. */
function* ensurePresent(w: DevWorld, a: Agent): Generator<Action, boolean, void> {
  if (a.left) return false
  if (!a.present) yield* arrive(a, w.ctx.plan, 25 * S)
  return true
}

function* visit(w: DevWorld, a: Agent, spot: XY, for_ms: number, activity: string): Behaviour {
  if (!(yield* ensurePresent(w, a))) return
  a.activity = activity
  yield* walkTo(a, w.ctx.plan, spot)
  yield { kind: 'stand', until: a.now + for_ms }
  yield* w.lifeOf(a)
}

function* meet(w: DevWorld, a: Agent, spot: XY, m: { arrived: number; until: number; for_ms: number }): Behaviour {
  if (!(yield* ensurePresent(w, a))) {
    // gone for the day: the other one waits out the meeting alone
    if (++m.arrived === 2) m.until = a.now + m.for_ms
    return
  }
  a.activity = 'meeting'
  yield* walkTo(a, w.ctx.plan, spot)
  if (++m.arrived === 2) m.until = a.now + m.for_ms
  // wait for the other one (at most 10 min), then talk
  const giveUp = a.now + 600 * S
  while (m.until === Infinity && a.now < giveUp) yield { kind: 'stand', until: a.now + 500 }
  yield { kind: 'stand', until: m.until }
  yield* w.lifeOf(a)
}

function* tailgated(w: DevWorld, a: Agent, out: XY[] | null, lobby: XY): Behaviour {
  const plan = w.ctx.plan
  if (a.present) {
    a.activity = 'tailgated'
    yield { kind: 'walk', path: out !== null ? out.slice(1) : [lobby] }
    yield { kind: 'walk', path: [plan.gateDoor, plan.checkinPoint] }
    yield { kind: 'stand', until: a.now + 20 * S }
  } else {
    yield* arrive(a, plan, 20 * S)
  }
  yield* w.lifeOf(a)
}

function* tailgater(w: DevWorld, t: Agent, appear_ms: number): Behaviour {
  const plan = w.ctx.plan
  t.activity = 'tailgating'
  yield { kind: 'hide', until: appear_ms }
  yield { kind: 'appear', at: plan.street }
  // through the gate right behind, past the person checking in, on into the corridor
  const side: XY = [plan.checkinPoint[0], plan.checkinPoint[1]]
  const dx = plan.checkinPoint[0] - plan.gateDoor[0]
  const dy = plan.checkinPoint[1] - plan.gateDoor[1]
  const l = Math.hypot(dx, dy) || 1
  side[0] += (-dy / l) * 0.8 + (dx / l) * 0.8
  side[1] += (dx / l) * 0.8 + (dy / l) * 0.8
  yield { kind: 'walk', path: [plan.gateDoor, side] }
  const corridor = corridorPastCheckin(w)
  if (corridor !== null) yield* walkTo(t, plan, corridor)
  yield { kind: 'stand', until: t.now + 60 * S }
  yield* walkTo(t, plan, plan.street)
  yield { kind: 'vanish' }
  t.activity = 'gone'
}

/** A point 4 m into the corridor beyond the check-in zone. */
function corridorPastCheckin(w: DevWorld): XY | null {
  const plan = w.ctx.plan
  const checkin = plan.zoneAt(plan.checkinPoint)
  for (const d of plan.doors) {
    if (checkin === null || !d.between.includes(checkin) || d.gate) continue
    const other = d.between[0] === checkin ? d.between[1] : d.between[0]
    if (plan.kindOf(other) !== 'corridor') continue
    const p = plan.toward(d.at, plan.zone(other).centroid, 4)
    return p
  }
  return null
}

function* leaveNow(w: DevWorld, a: Agent): Behaviour {
  if (!a.present) {
    a.left = true
    a.activity = 'gone'
    return
  }
  yield* leave(a, w.ctx.plan)
}

function* spoofer(w: DevWorld, t: Agent, subject: string): Behaviour {
  const plan = w.ctx.plan
  t.activity = 'spoofing'
  yield { kind: 'appear', at: plan.street }
  yield { kind: 'walk', path: [plan.gateDoor, plan.checkinPoint] }
  t.subject = subject
  t.spoof = true
  yield { kind: 'stand', until: t.now + 30 * S }
  t.subject = null
  t.spoof = false
  yield { kind: 'walk', path: [plan.gateDoor, plan.street] }
  yield { kind: 'vanish' }
  t.activity = 'gone'
}

function* intruder(w: DevWorld, t: Agent, zone: string, for_ms: number): Behaviour {
  const plan = w.ctx.plan
  t.activity = 'intruding'
  yield { kind: 'appear', at: plan.street }
  yield* walkTo(t, plan, plan.interiorPoint(zone, t.rng, 1))
  yield { kind: 'stand', until: t.now + for_ms }
  yield* walkTo(t, plan, plan.street)
  yield { kind: 'vanish' }
  t.activity = 'gone'
}
