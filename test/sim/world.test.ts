// The simulator's world of people on the demo venue: a normal day breaks no rule, deviations move the right people.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { loadVenue, type Venue } from '../../src/config/index.js'
import { localMidnight } from '../../src/shared/time.js'
import { World } from '../../src/sim/world/index.js'
import type { SimPerson } from '../../src/sim/world/types.js'
import { fromRoot } from '../helpers/paths.js'

const test = suite('sim/world: people on the floor')
const MIN = 60_000
const TZ = 'Asia/Shanghai'
const DAY = localMidnight('2026-03-10', TZ)
const at = (hh: number, mm = 0): number => DAY + (hh * 60 + mm) * MIN
let venue: Venue

test.before(async () => {
  venue = (await loadVenue(fromRoot('config/venues/demo.yaml'))).venue
})

/** Step the world from `from` to `to` every dt ms and collect every normal-day rule a person breaks. */
function runDay(w: World, from: number, to: number, dt: number, extra?: (t: number, people: SimPerson[]) => void): string[] {
  const kinds = new Map(venue.floor.zones.map((z) => [z.id, z.kind]))
  const caps = new Map(venue.floor.zones.map((z) => [z.id, z.capacity ?? Infinity]))
  const staffZones = new Map(venue.roster.staff.map((s) => [s.subject, new Set(s.zones)]))
  const projectOf = new Map<string, string>()
  for (const p of venue.roster.projects) for (const e of p.experts) projectOf.set(e, p.id)
  const close = new Map<string, number>()
  const inCorridor = new Map<string, number>()
  const out: string[] = []
  const flag = (msg: string): void => {
    if (out.length < 20) out.push(msg)
  }
  for (let t = from; t <= to; t += dt) {
    w.step(t)
    const people = w.people().filter((p) => p.present)
    const count = new Map<string, number>()
    for (const p of people) {
      const kind = p.zone === null ? null : kinds.get(p.zone)
      if (p.zone !== null) count.set(p.zone, (count.get(p.zone) ?? 0) + 1)
      if (kind === 'restricted') flag(`${p.id} in restricted ${p.zone} at ${t}`)
      if (p.kind === 'visitor' && kind !== 'entrance' && kind !== 'dining') flag(`visitor ${p.id} in ${p.zone} at ${t}`)
      if (p.kind === 'staff' && (p.zone === null || !staffZones.get(p.subject!)!.has(p.zone))) flag(`staff ${p.id} in ${p.zone} at ${t}`)
      if (kind === 'corridor' && p.kind !== 'staff') {
        const since = inCorridor.get(p.id) ?? t
        inCorridor.set(p.id, since)
        if (t - since > 300_000) flag(`${p.id} loiters in ${p.zone} at ${t}`)
      } else inCorridor.delete(p.id)
    }
    for (const [zone, n] of count) if (n > caps.get(zone)!) flag(`${zone} holds ${n} at ${t}`)
    const experts = people.filter((p) => p.kind === 'expert')
    for (let i = 0; i < experts.length; i++)
      for (let j = i + 1; j < experts.length; j++) {
        const a = experts[i]!
        const b = experts[j]!
        const key = `${a.id}|${b.id}`
        if (projectOf.get(a.subject!) !== projectOf.get(b.subject!) && Math.hypot(a.floor[0] - b.floor[0], a.floor[1] - b.floor[1]) < 2) {
          const since = close.get(key) ?? t
          close.set(key, since)
          if (t - since > 5_000) flag(`${key} within 2 m at ${t}`)
        } else close.delete(key)
      }
    extra?.(t, people)
  }
  return out
}

const byId = (w: World, id: string): SimPerson => w.people().find((p) => p.id === id)!
const dist = (a: SimPerson, b: SimPerson): number => Math.hypot(a.floor[0] - b.floor[0], a.floor[1] - b.floor[1])
const project = (id: string) => venue.roster.projects.find((p) => p.id === id)!

test('the constructor does no I/O and lists everyone, present or not', () => {
  const w = new World(venue, { seed: 1, start_ms: at(7) })
  const people = w.people()
  assert.is(people.filter((p) => p.kind === 'expert').length, 40)
  assert.is(people.filter((p) => p.kind === 'staff').length, 5)
  assert.is(people.filter((p) => p.kind === 'visitor').length, 3)
  assert.ok(people.filter((p) => p.kind === 'expert').every((p) => !p.present))
  assert.ok(people.filter((p) => p.kind === 'staff').every((p) => p.present))
  assert.is(new World(venue, { seed: 1, start_ms: at(7), visitors: 0 }).people().filter((p) => p.kind === 'visitor').length, 0)
})

test('deterministic by seed', () => {
  const snap = (seed: number): string => {
    const w = new World(venue, { seed, start_ms: at(8) })
    const out: string[] = []
    for (let t = at(8); t <= at(8, 40); t += 200) {
      w.step(t)
      if ((t - at(8)) % 60_000 === 0) out.push(JSON.stringify(w.people()))
    }
    return out.join('\n')
  }
  assert.is(snap(7), snap(7))
  assert.is.not(snap(7), snap(8))
})

test('a simulated morning breaks no rule and seats every expert by start + 15 min', () => {
  const w = new World(venue, { seed: 42, start_ms: at(8) })
  const am = venue.roster.projects.filter((p) => p.session === 'am')
  const seen = new Set<string>()
  const violations = runDay(w, at(8), at(9, 30), 200, (t, people) => {
    for (const p of people) if (p.kind === 'expert') seen.add(p.subject!)
    if (t < at(8, 45)) return
    for (const proj of am)
      for (const e of proj.experts) {
        const p = people.find((q) => q.subject === e && q.kind === 'expert')
        const act = w.activityOf(`p-${e}`)
        if (act === 'break') continue
        if (p === undefined || !proj.rooms.includes(p.zone ?? '')) throw new Error(`${e} not in a room of ${proj.id} at ${t} (${p?.zone}, ${act})`)
      }
  })
  assert.equal(violations, [])
  // every morning expert came in; nobody of the afternoon did
  for (const proj of am) for (const e of proj.experts) assert.ok(seen.has(e), e)
  assert.ok(venue.roster.projects.filter((p) => p.session === 'pm').every((p) => p.experts.every((e) => !seen.has(e))))
})

test('a whole day breaks no rule: everyone comes and goes, nobody stays after the sessions', () => {
  const w = new World(venue, { seed: 3, start_ms: at(7), visitors: 5 })
  let visitorsSeen = 0
  const passedExit = new Set<string>()
  const violations = runDay(w, at(7), at(18), 1000, (_t, people) => {
    visitorsSeen = Math.max(visitorsSeen, people.filter((p) => p.kind === 'visitor').length)
    for (const p of people) if (p.kind === 'expert' && p.zone === 'exit') passedExit.add(p.subject!)
  })
  assert.equal(violations, [])
  assert.ok(visitorsSeen > 0)
  const experts = w.people().filter((p) => p.kind === 'expert')
  assert.ok(experts.every((p) => !p.present))
  assert.is(passedExit.size, 40)
})

test('started mid-session: the arrived experts are already in their rooms', () => {
  const w = new World(venue, { seed: 5, start_ms: at(10) })
  w.step(at(10))
  for (const proj of venue.roster.projects) {
    for (const e of proj.experts) {
      const p = byId(w, `p-${e}`)
      if (proj.session === 'am') {
        assert.ok(p.present, e)
        assert.ok(proj.rooms.includes(p.zone!), `${e} in ${p.zone}`)
      } else assert.not.ok(p.present, e)
    }
  }
  // at most capacity - 1 experts per room
  for (const room of ['room-1', 'room-2', 'room-5', 'room-6']) assert.ok(w.people().filter((p) => p.zone === room).length <= 7, room)
})

/** A world at 10:00 stepped every 200 ms until `until`, calling `each` on the way. */
function runFrom(w: World, from: number, until: number, each: (t: number) => void): void {
  for (let t = from; t <= until; t += 200) {
    w.step(t)
    each(t)
  }
}

test('wrong_room: the expert walks into the other room, stays, and goes back', () => {
  const w = new World(venue, { seed: 9, start_ms: at(10) })
  const subject = project('p-2026-114').experts[0]!
  assert.ok(w.inject({ kind: 'wrong_room', subject, room: 'room-5', for_s: 120 }, at(10, 1)))
  let inWrong = 0
  runFrom(w, at(10), at(10, 6), () => {
    if (byId(w, `p-${subject}`).zone === 'room-5') inWrong += 200
  })
  assert.ok(inWrong >= 120_000 && inWrong < 140_000, String(inWrong))
  assert.ok(['room-1', 'room-2'].includes(byId(w, `p-${subject}`).zone!))
})

test('cross_project_meeting: two experts of different projects stand about 1 m apart in the zone', () => {
  const w = new World(venue, { seed: 10, start_ms: at(10) })
  const a = project('p-2026-114').experts[1]!
  const b = project('p-2026-117').experts[1]!
  assert.ok(w.inject({ kind: 'cross_project_meeting', subjects: [a, b], zone: 'corr-eval', for_s: 60 }, at(10, 0)))
  let together = 0
  runFrom(w, at(10), at(10, 5), () => {
    const pa = byId(w, `p-${a}`)
    const pb = byId(w, `p-${b}`)
    if (pa.zone === 'corr-eval' && pb.zone === 'corr-eval' && dist(pa, pb) < 1.2) together += 200
  })
  assert.ok(together >= 60_000 && together < 65_000, String(together))
  assert.ok(project('p-2026-114').rooms.includes(byId(w, `p-${a}`).zone!))
  assert.ok(project('p-2026-117').rooms.includes(byId(w, `p-${b}`).zone!))
})

/** Times (ms) each person crosses the gate door eastward (x = 6 on the demo floor). */
function gateCrossings(w: World, from: number, until: number): Map<string, number[]> {
  const last = new Map<string, number>()
  const out = new Map<string, number[]>()
  runFrom(w, from, until, (t) => {
    for (const p of w.people()) {
      const x0 = last.get(p.id)
      if (p.present && x0 !== undefined && x0 < 6 && p.floor[0] >= 6) out.set(p.id, [...(out.get(p.id) ?? []), t])
      last.set(p.id, p.present ? p.floor[0] : -1)
    }
  })
  return out
}

test('tailgate: an unknown person follows an expert already inside through the gate and into the corridor', () => {
  const w = new World(venue, { seed: 11, start_ms: at(10) })
  const subject = project('p-2026-117').experts[2]!
  assert.ok(w.inject({ kind: 'tailgate', behind: subject }, at(10, 0)))
  const crossings = gateCrossings(w, at(10), at(10, 4))
  const tailgater = w.people().find((p) => p.id.startsWith('p-tailgater'))!
  assert.ok(tailgater !== undefined)
  assert.is(tailgater.subject, null)
  const te = crossings.get(`p-${subject}`)?.[0]
  const tt = crossings.get(tailgater.id)?.[0]
  assert.ok(te !== undefined && tt !== undefined)
  assert.ok(tt! - te! > 0 && tt! - te! <= 3_000, `${tt! - te!}`)
  // then away again; the expert goes back to the room
  runFrom(w, at(10, 4), at(10, 8), () => {})
  assert.not.ok(byId(w, tailgater.id).present)
  assert.ok(project('p-2026-117').rooms.includes(byId(w, `p-${subject}`).zone!))
  const w2 = new World(venue, { seed: 11, start_ms: at(10) })
  w2.inject({ kind: 'tailgate', behind: subject }, at(10, 0))
  // on into the corridor
  let seen = false
  runFrom(w2, at(10), at(10, 4), () => {
    if (w2.people().some((p) => p.id.startsWith('p-tailgater') && p.zone === 'corr-eval')) seen = true
  })
  assert.ok(seen)
})

test('tailgate: before the expert arrives, they come in at once with someone on their heels', () => {
  const w = new World(venue, { seed: 12, start_ms: at(7, 50) })
  const subject = project('p-2026-114').experts[3]!
  assert.ok(w.inject({ kind: 'tailgate', behind: subject }, at(7, 55)))
  const crossings = gateCrossings(w, at(7, 50), at(7, 58))
  const tailgater = w.people().find((p) => p.id.startsWith('p-tailgater'))!
  const te = crossings.get(`p-${subject}`)?.[0]
  const tt = crossings.get(tailgater.id)?.[0]
  assert.ok(te !== undefined && te < at(7, 56))
  assert.ok(tt !== undefined && tt - te! > 0 && tt - te! <= 3_000)
})

test('leave_early: the expert walks out through the exit now', () => {
  const w = new World(venue, { seed: 13, start_ms: at(10) })
  const subject = project('p-2026-114').experts[4]!
  assert.ok(w.inject({ kind: 'leave_early', subject }, at(10, 0)))
  let exit = false
  runFrom(w, at(10), at(10, 3), () => {
    if (byId(w, `p-${subject}`).zone === 'exit') exit = true
  })
  assert.ok(exit)
  assert.not.ok(byId(w, `p-${subject}`).present)
  runFrom(w, at(11), at(12, 30), () => {})
  assert.not.ok(byId(w, `p-${subject}`).present)
})

test('photo_at_checkin: someone shows a photo of the subject at check-in for about 30 s, then goes', () => {
  const w = new World(venue, { seed: 14, start_ms: at(10) })
  const subject = project('p-2026-117').experts[0]!
  assert.ok(w.inject({ kind: 'photo_at_checkin', subject }, at(10, 0)))
  let spoofed = 0
  runFrom(w, at(10), at(10, 2), () => {
    for (const p of w.people()) if (p.spoof && p.present) {
      assert.is(p.subject, subject)
      assert.is(p.zone, 'checkin')
      spoofed += 200
    }
  })
  assert.ok(spoofed >= 29_000 && spoofed <= 31_000, String(spoofed))
  const spoofer = w.people().find((p) => p.id.startsWith('p-spoofer'))!
  assert.not.ok(spoofer.present)
  assert.is(byId(w, `p-${subject}`).kind, 'expert')
})

test('intruder: an unknown person walks into the zone, stays, and leaves', () => {
  const w = new World(venue, { seed: 15, start_ms: at(10) })
  assert.ok(w.inject({ kind: 'intruder', zone: 'archive', for_s: 90 }, at(10, 1)))
  let inside = 0
  runFrom(w, at(10), at(10, 6), () => {
    for (const p of w.people()) if (p.id.startsWith('p-intruder') && p.zone === 'archive') {
      assert.is(p.subject, null)
      inside += 200
    }
  })
  assert.ok(inside >= 90_000 && inside < 100_000, String(inside))
  assert.not.ok(w.people().find((p) => p.id.startsWith('p-intruder'))!.present)
})

test('deviations that are not about people, or name nobody, are refused', () => {
  const w = new World(venue, { seed: 16, start_ms: at(10) })
  assert.not.ok(w.inject({ kind: 'camera_covered', camera: 'cam-01', for_s: 30 }, at(10)))
  assert.not.ok(w.inject({ kind: 'robot_breakdown', robot: 'pt-001' }, at(10)))
  assert.not.ok(w.inject({ kind: 'leave_early', subject: 'sub-nobody' }, at(10)))
  assert.not.ok(w.inject({ kind: 'intruder', zone: 'moon', for_s: 30 }, at(10)))
})

test.run()
