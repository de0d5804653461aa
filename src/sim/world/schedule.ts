/**
 * The experts' day from the roster: arrival times (staggered so arrivals pass the gate one by one),
 * rooms and seats, restroom breaks (no two projects' breaks overlap, nor another project's arrivals
 * or departures) and departures (projects of a session leave in turn).
 */
import type { Venue } from '../../config/schema/venue.js'
import { localDate, localMidnight } from '../../shared/time.js'
import { mulberry32, type Rng } from '../../shared/random.js'
import { dist, pathLength, type FloorPlan, type XY } from './plan.js'

export interface Break {
  start: number
  dur_ms: number
  restroom: string
}

export interface ExpertPlan {
  subject: string
  project: string
  room: string
  seat: XY
  arrive_ms: number
  checkin_ms: number
  breaks: Break[]
  leave_ms: number
  session: { start_ms: number; end_ms: number; arrival_ms: number }
}

const MIN = 60_000
/** After one check-in ends, the next arrival may step in this much later (the first has walked off by then). */
const CHECKIN_CLEAR_MS = 6_000
const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** Seed mixing for independent streams. */
export function subSeed(seed: number, k: number): number {
  let h = (seed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

/** Experts walk at 1.0-1.5 m/s (world.ts). */
const SLOWEST_MPS = 1.0
const FASTEST_MPS = 1.5
/** Between two experts of a project leaving, and after the previous project's slowest reaches the street. */
const LEAVE_SPACING_MS = 3_000
const LEAVE_MARGIN_MS = 15_000

/** Metres from the middle of a room to the street, by the walking route (0 when there is none). */
function exitWalk_m(plan: FloorPlan, room: string | undefined): number {
  if (room === undefined) return 0
  const path = plan.route(plan.zone(room).centroid, plan.exitStreet)
  return path === null ? 0 : pathLength(path)
}

export function planExperts(venue: Pick<Venue, 'site' | 'roster'>, plan: FloorPlan, seed: number, start_ms: number): ExpertPlan[] {
  const tz = venue.site.timezone
  const date = venue.roster.date === 'today' ? localDate(start_ms, tz) : venue.roster.date
  const midnight = localMidnight(date, tz)
  const rng = mulberry32(subSeed(seed, 1_000_003))
  const restrooms = plan.ofKind('restroom')
  const out: ExpertPlan[] = []
  const seen = new Set<string>()
  /** Per project: times its experts cross the shared corridors in a body. */
  const busy = new Map<string, Array<[number, number]>>()

  for (const s of venue.roster.sessions) {
    const start = minutesOf(s.start)
    let end = minutesOf(s.end)
    if (end <= start) end += 24 * 60
    const win = { start_ms: midnight + start * MIN, end_ms: midnight + end * MIN, arrival_ms: midnight + (start - s.arrivalWindow_min) * MIN }
    const projects = venue.roster.projects.filter((p) => p.session === s.id)
    const members: Array<{ subject: string; project: string; room: string }> = []
    for (const p of projects) {
      // fill the project's rooms in order, each to one below its capacity (room for a visiting supervisor)
      let r = 0
      let inRoom = 0
      for (const e of p.experts) {
        if (seen.has(e)) continue
        seen.add(e)
        while (r < p.rooms.length - 1 && inRoom >= roomLimit(plan, p.rooms[r]!)) {
          r++
          inRoom = 0
        }
        members.push({ subject: e, project: p.id, room: p.rooms[r]! })
        inRoom++
      }
    }
    // arrivals: one by one through the gate, in a shuffled order, ending 3 minutes before the start
    const first = win.arrival_ms
    const last = Math.max(first, win.start_ms - 3 * MIN)
    const gap = members.length > 0 ? Math.min(60_000, (last - first) / members.length) : 0
    shuffle(members, rng)
    const arrivals = members.map((_, i) => first + i * gap + rng() * gap * 0.3)
    // departures, as the venue's staff send experts out: project by project, the farthest from the
    // exit first; a project's experts a few seconds apart (they may walk together), and the next
    // project only so late that its fastest walker cannot catch up with this one's slowest before the
    // street (different projects must not meet, not even in the exit)
    const leave = new Map<string, number>()
    const walk_m = new Map(projects.map((p) => [p.id, exitWalk_m(plan, members.find((m) => m.project === p.id)?.room)]))
    const order = [...projects].sort((a, b) => walk_m.get(b.id)! - walk_m.get(a.id)!)
    let t = win.end_ms
    order.forEach((p, k) => {
      const mine = members.filter((m) => m.project === p.id)
      const t0 = t
      mine.forEach((m, i) => leave.set(m.subject, t0 + i * LEAVE_SPACING_MS + rng() * 1_000))
      const last = t0 + mine.length * LEAVE_SPACING_MS + 1_000
      const here = walk_m.get(p.id)!
      busy.set(p.id, [...(busy.get(p.id) ?? []), [first, win.start_ms + 5 * MIN], [t0, last + (here / SLOWEST_MPS) * 1000 + LEAVE_MARGIN_MS]])
      const next = order[k + 1]
      if (next !== undefined) t = last + (here / SLOWEST_MPS - walk_m.get(next.id)! / FASTEST_MPS) * 1000 + LEAVE_MARGIN_MS
    })
    const seats = new Map<string, XY[]>()
    members.forEach((m, i) => {
      const taken = seats.get(m.room) ?? []
      seats.set(m.room, taken)
      const seat = plan.interiorPoint(m.room, rng, 1.2, (p) => taken.every((q) => dist(p, q) >= 1.5))
      taken.push(seat)
      out.push({
        subject: m.subject,
        project: m.project,
        room: m.room,
        seat,
        arrive_ms: arrivals[i]!,
        checkin_ms: 20_000 + rng() * 20_000,
        breaks: [],
        leave_ms: leave.get(m.subject) ?? win.end_ms,
        session: win,
      })
    })
  }

  // one check-in at a time: the next arrival waits outside until the one before has checked in and
  // stepped off the check-in point (a big session's arrivals otherwise stand together at the gate)
  const byArrival = [...out].sort((a, b) => a.arrive_ms - b.arrive_ms)
  for (let i = 1; i < byArrival.length; i++) {
    const prev = byArrival[i - 1]!
    const e = byArrival[i]!
    e.arrive_ms = Math.max(e.arrive_ms, prev.arrive_ms + prev.checkin_ms + CHECKIN_CLEAR_MS)
  }

  // restroom breaks, 0-2 each, 3-8 min; a break (with its walks) must not overlap another project's
  // break or corridor crossings, and at most two of one project share a restroom at once
  const taken: Array<{ project: string; restroom: string; from: number; to: number }> = []
  const WALK = 120_000
  for (const e of out) {
    if (restrooms.length === 0) break
    const n = Math.floor(rng() * 3)
    const restroom = restrooms[Math.floor(rng() * restrooms.length)]!
    const lo = e.session.start_ms + 20 * MIN
    const hi = e.session.end_ms - 30 * MIN
    for (let k = 0; k < n && hi > lo; k++) {
      for (let tries = 0; tries < 30; tries++) {
        const start = lo + rng() * (hi - lo)
        const dur_ms = (3 + rng() * 5) * MIN
        const from = start - 30_000
        const to = start + dur_ms + WALK
        const overlaps = (a: { from: number; to: number }): boolean => a.from < to && from < a.to
        if (e.breaks.some((b) => b.start - 60_000 < to && from < b.start + b.dur_ms + WALK + 60_000)) continue
        if (taken.some((b) => overlaps(b) && b.project !== e.project)) continue
        if (taken.filter((b) => overlaps(b) && b.restroom === restroom).length >= 2) continue
        let clash = false
        for (const [p, spans] of busy) if (p !== e.project && spans.some(([f, t]) => f < to && from < t)) clash = true
        if (clash) continue
        taken.push({ project: e.project, restroom, from, to })
        e.breaks.push({ start, dur_ms, restroom })
        break
      }
    }
    e.breaks.sort((a, b) => a.start - b.start)
  }
  return out
}

function roomLimit(plan: FloorPlan, room: string): number {
  const cap = plan.zones.get(room)?.capacity
  return cap === null || cap === undefined ? Infinity : Math.max(1, cap - 1)
}

function shuffle<T>(a: T[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
}
