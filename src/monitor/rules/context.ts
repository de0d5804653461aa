import type { ZoneKind } from '../../config/schema/common.js'
import type { Venue } from '../../config/schema/venue.js'
import { localDate, localMidnight } from '../../shared/time.js'
import { ZoneIndex } from '../zones.js'
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
  const sessionOf = (project: string, dayStart_ms: number): SessionWindow | null => {
    const p = projects.get(project)
    const s = p && sessions.get(p.session)
    if (!s) return null
    const start = minutesOf(s.start)
    let end = minutesOf(s.end)
    if (end <= start) end += 24 * 60
    return { start_ms: dayStart_ms + start * 60_000, end_ms: dayStart_ms + end * 60_000 }
  }
  const dayStarts = new Map<string, number>()
  const dayStartOf = (now_ms: number): number => {
    const date = venue.roster.date === 'today' ? localDate(now_ms, tz) : venue.roster.date
    let ms = dayStarts.get(date)
    if (ms === undefined) dayStarts.set(date, (ms = localMidnight(date, tz)))
    return ms
  }

  return {
    projectOf: (subject) => projectBySubject.get(subject) ?? null,
    roomsOf: (project) => (project === null ? [] : [...(projects.get(project)?.rooms ?? [])]),
    sessionOf,
    sessionAt: (project, now_ms): SessionDay | null => {
      const w = sessionOf(project, dayStartOf(now_ms))
      const s = sessions.get(projects.get(project)?.session ?? '')
      return w && s ? { ...w, arrival_ms: w.start_ms - s.arrivalWindow_min * 60_000 } : null
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
    robotLowBattery: (robot) => robots.get(robot)?.battery.low_pct ?? null,
  }
}
