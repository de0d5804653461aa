import type { ZoneKind } from '../../config/schema/common.js'
import type { Venue } from '../../config/schema/venue.js'
import { ZoneIndex } from '../zones.js'
import type { FloorXY, RuleContext, SessionWindow } from './types.js'

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

export function createRuleContext(venue: Pick<Venue, 'floor' | 'roster' | 'cameras'>): RuleContext {
  const projectBySubject = new Map<string, string>()
  for (const p of venue.roster.projects) for (const e of p.experts) if (!projectBySubject.has(e)) projectBySubject.set(e, p.id)
  const projects = new Map(venue.roster.projects.map((p) => [p.id, p]))
  const sessions = new Map(venue.roster.sessions.map((s) => [s.id, s]))
  const staff = new Map(venue.roster.staff.map((s) => [s.subject, s]))
  const zoneKinds = new Map<string, ZoneKind>(venue.floor.zones.map((z) => [z.id, z.kind]))
  const cameras = new Map(venue.cameras.map((c) => [c.id, c.zones]))
  const index = new ZoneIndex(venue)

  return {
    projectOf: (subject) => projectBySubject.get(subject) ?? null,
    roomsOf: (project) => (project === null ? [] : [...(projects.get(project)?.rooms ?? [])]),
    sessionOf: (project, dayStart_ms): SessionWindow | null => {
      const p = projects.get(project)
      const s = p && sessions.get(p.session)
      if (!s) return null
      const start = minutesOf(s.start)
      let end = minutesOf(s.end)
      if (end <= start) end += 24 * 60
      return { start_ms: dayStart_ms + start * 60_000, end_ms: dayStart_ms + end * 60_000 }
    },
    isStaff: (subject) => staff.has(subject),
    staffZones: (subject) => [...(staff.get(subject)?.zones ?? [])],
    zoneKind: (zone) => zoneKinds.get(zone) ?? null,
    zonesOfKinds: (kinds) => venue.floor.zones.filter((z) => kinds.includes(z.kind)).map((z) => z.id),
    zoneAt: (p: FloorXY) => index.zoneAt(p),
    cameraZones: (camera) => [...(cameras.get(camera) ?? [])],
  }
}
