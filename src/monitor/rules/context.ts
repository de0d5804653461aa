import type { ZoneKind } from '../../config/schema/common.js'
import type { Venue } from '../../config/schema/venue.js'
import { localDate, localMidnight } from '../../shared/time.js'
import { ZoneIndex } from '../../config/zones.js'
import type { FloorXY, RuleContext, SessionDay, SessionWindow, ZoneSelector } from './types.js'

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

export function createRuleContext(venue: Pick<Venue, 'site' | 'floor' | 'roster' | 'cameras' | 'robots'>): RuleContext {
  const projectBySubject = new Map<string, string>()
  for (const p of venue.roster.projects) for (const e of p.experts) if (!projectBySubject.has(e)) projectBySubject.set(e, p.id)
  const projects = new Map(venue.roster.projects.map((p) => [p.id, p]))
  const sessions = new Map(venue.roster.sessions.map((s) => [s.id, s]))
  const staff = new Map(venue.roster.staff.map((s) => [s.subject, s]))
  const zoneKinds = new Map<string, ZoneKind>(venue.floor.zones.map((z) => [z.id, z.kind]))
  const cameras = new Map(venue.cameras.map((c) => [c.id, c.zones]))
  const index = new ZoneIndex(venue)
  const zonesById = new Map(venue.floor.zones.map((z) => [z.id, z]))
  const doors = new Map(venue.floor.doors.map((d) => [d.id, d]))
  const robots = new Map(venue.robots.map((r) => [r.id, r]))
  const tz = venue.site.timezone
  const observed = new Set(venue.cameras.flatMap((c) => c.zones))
  const unseenDoors = venue.floor.doors.flatMap((d) => d.between.filter((z) => !observed.has(z)).map((zone) => ({ zone, at: [d.at[0], d.at[1]] as FloorXY })))
  // HH:MM parsed once per session; an end at or before the start is the next day
  const offsets = new Map<string, { start_ms: number; end_ms: number; arrival_ms: number }>()
  for (const p of venue.roster.projects) {
    const s = sessions.get(p.session)
    if (!s) continue
    const start = minutesOf(s.start)
    let end = minutesOf(s.end)
    if (end <= start) end += 24 * 60
    offsets.set(p.id, { start_ms: start * 60_000, end_ms: end * 60_000, arrival_ms: (start - s.arrivalWindow_min) * 60_000 })
  }
  const sessionOf = (project: string, dayStart_ms: number): SessionWindow | null => {
    const o = offsets.get(project)
    return o ? { start_ms: dayStart_ms + o.start_ms, end_ms: dayStart_ms + o.end_ms } : null
  }
  // the last few local days asked for (rules ask for today and yesterday in turn), so a pass over
  // hundreds of experts formats no date at all
  const days: Array<{ start: number; end: number }> = []
  const dayStartOf = (now_ms: number): number => {
    if (venue.roster.date !== 'today') {
      if (days[0] === undefined) days.push({ start: localMidnight(venue.roster.date, tz), end: Infinity })
      return days[0]!.start
    }
    for (const d of days) if (now_ms >= d.start && now_ms < d.end) return d.start
    const start = localMidnight(localDate(now_ms, tz), tz)
    // the next local midnight: 26 h later always lands in the next day, DST or not
    days.unshift({ start, end: localMidnight(localDate(start + 26 * 3_600_000, tz), tz) })
    if (days.length > 4) days.pop()
    return start
  }

  return {
    projectOf: (subject) => projectBySubject.get(subject) ?? null,
    roomsOf: (project) => (project === null ? [] : [...(projects.get(project)?.rooms ?? [])]),
    sessionOf,
    sessionAt: (project, now_ms): SessionDay | null => {
      const o = offsets.get(project)
      if (!o) return null
      const day = dayStartOf(now_ms)
      return { start_ms: day + o.start_ms, end_ms: day + o.end_ms, arrival_ms: day + o.arrival_ms }
    },
    isStaff: (subject) => staff.has(subject),
    staffZones: (subject) => [...(staff.get(subject)?.zones ?? [])],
    zoneKind: (zone) => zoneKinds.get(zone) ?? null,
    zonesOfKinds: (kinds) => venue.floor.zones.filter((z) => kinds.includes(z.kind)).map((z) => z.id),
    zoneAt: (p: FloorXY) => index.zoneAt(p),
    cameraZones: (camera) => [...(cameras.get(camera) ?? [])],
    selectZones: (sel: ZoneSelector, defaultKinds) => {
      if (sel.zones !== undefined) return [...sel.zones]
      const kinds = sel.zoneKinds ?? defaultKinds
      return venue.floor.zones.filter((z) => kinds.includes(z.kind)).map((z) => z.id)
    },
    capacityOf: (zone) => zonesById.get(zone)?.capacity ?? null,
    door: (id) => doors.get(id) ?? null,
    unseenDoors: () => unseenDoors,
    robotLowBattery: (robot) => robots.get(robot)?.battery.low_pct ?? null,
  }
}
