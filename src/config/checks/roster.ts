import { indexUnique, minutesOf, missing, report, type Ctx } from './util.js'

/** Sessions, projects (rooms, experts) and staff against each other and the floor. */
export function checkRoster(ctx: Ctx): void {
  const { roster, floor } = ctx.venue
  const sessions = indexUnique(ctx, roster.sessions, (s) => s.id, ['roster', 'sessions'], 'id', 'session id')
  indexUnique(ctx, roster.projects, (p) => p.id, ['roster', 'projects'], 'id', 'project id')

  roster.sessions.forEach((s, i) => {
    if (minutesOf(s.end) <= minutesOf(s.start)) report(ctx, ['roster', 'sessions', i, 'end'], `session "${s.id}" ends at ${s.end}, which is not after its start ${s.start}`)
  })

  /** Per session id: room -> project, expert -> project. */
  const roomsIn = new Map<string, Map<string, string>>()
  const expertsIn = new Map<string, Map<string, string>>()
  /** Every expert of any session -> first project. */
  const experts = new Map<string, string>()
  const usedRooms = new Set<string>()

  roster.projects.forEach((p, i) => {
    const path = ['roster', 'projects', i]
    if (!sessions.has(p.session)) report(ctx, [...path, 'session'], missing('session', 'sessions', p.session, sessions.keys()))

    const rooms = roomsIn.get(p.session) ?? new Map<string, string>()
    roomsIn.set(p.session, rooms)
    const mine = new Set<string>()
    p.rooms.forEach((room, k) => {
      const zone = ctx.zones.get(room)
      if (zone === undefined) report(ctx, [...path, 'rooms', k], missing('zone', 'zones', room, ctx.zones.keys()))
      else if (zone.kind !== 'evaluation_room') report(ctx, [...path, 'rooms', k], `zone "${room}" is of kind ${zone.kind}, not an evaluation_room`)
      usedRooms.add(room)
      if (mine.has(room)) {
        report(ctx, [...path, 'rooms', k], `room "${room}" is listed twice in project "${p.id}"`)
        return
      }
      mine.add(room)
      const other = rooms.get(room)
      if (other !== undefined) report(ctx, [...path, 'rooms', k], `room "${room}" is already used by project "${other}" in session "${p.session}"`)
      else rooms.set(room, p.id)
    })

    const drawn = expertsIn.get(p.session) ?? new Map<string, string>()
    expertsIn.set(p.session, drawn)
    const listed = new Set<string>()
    p.experts.forEach((expert, k) => {
      if (listed.has(expert)) {
        report(ctx, [...path, 'experts', k], `expert ${expert} is listed twice in project "${p.id}"`)
        return
      }
      listed.add(expert)
      const other = drawn.get(expert)
      if (other !== undefined) report(ctx, [...path, 'experts', k], `expert ${expert} is also drawn for project "${other}" in session "${p.session}"`)
      else drawn.set(expert, p.id)
      if (!experts.has(expert)) experts.set(expert, p.id)
    })
  })

  floor.zones.forEach((zone, i) => {
    if (zone.kind === 'evaluation_room' && ctx.zones.get(zone.id) === zone && !usedRooms.has(zone.id)) {
      report(ctx, ['floor', 'zones', i, 'id'], `evaluation room "${zone.id}" belongs to no project (roster.projects[].rooms)`)
    }
  })

  indexUnique(ctx, roster.staff, (s) => s.subject, ['roster', 'staff'], 'subject', 'staff subject')
  roster.staff.forEach((member, i) => {
    const project = experts.get(member.subject)
    if (project !== undefined) {
      report(ctx, ['roster', 'staff', i, 'subject'], `${member.subject} is listed as staff (${member.role}) and drawn as an expert for project "${project}"`)
    }
    member.zones.forEach((zoneId, k) => {
      if (!ctx.zones.has(zoneId)) report(ctx, ['roster', 'staff', i, 'zones', k], missing('zone', 'zones', zoneId, ctx.zones.keys()))
    })
  })
}
