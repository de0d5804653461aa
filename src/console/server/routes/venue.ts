import { z } from 'zod'
import type { Venue } from '../../../config/schema/venue.js'
import { CameraStatus, RobotStatus } from '../../../contract/index.js'
import type { App, ConsoleContext } from '../context.js'
import { ErrorBody, errors, VenueView } from '../schemas.js'

/** The venue file reduced to what the page draws: no RTSP URLs (they may hold camera passwords), no secrets. */
export function venueView(v: Venue): VenueView {
  return {
    site: { id: v.site.id, name: v.site.name, timezone: v.site.timezone },
    floor: {
      name: v.floor.name,
      width_m: v.floor.width_m,
      height_m: v.floor.height_m,
      zones: v.floor.zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind, polygon: z.polygon, capacity: z.capacity })),
      doors: v.floor.doors.map((d) => ({ id: d.id, between: d.between, at: d.at, width_m: d.width_m, gate: d.gate })),
    },
    graph: {
      nodes: v.navigation.nodes.map((n) => ({ id: n.id, xy: n.at, zone: n.zone })),
      edges: v.navigation.edges.map((e) => ({ id: e.id, from: e.from, to: e.to, singleLane: e.singleLane, door: e.door })),
    },
    cameras: v.cameras.map((c) => ({ id: c.id, name: c.name, zones: c.zones, edgeNode: c.edgeNode })),
    robots: v.robots.map((r) => ({ id: r.id, name: r.name, kind: r.kind, dockNode: r.dockNode })),
    projects: v.roster.projects.map((p) => ({ id: p.id, session: p.session, rooms: p.rooms, experts: p.experts })),
    sessions: v.roster.sessions.map((s) => ({ id: s.id, start: s.start, end: s.end })),
  }
}

export function venueRoutes(app: App, ctx: ConsoleContext): void {
  app.get('/api/venue', {
    schema: { summary: 'Floor plan, robot graph, cameras, robots and projects, for drawing the map', tags: ['venue'], response: { 200: VenueView, ...errors } },
    handler: async () => venueView(ctx.venue()),
  })

  app.get('/api/cameras', {
    schema: {
      summary: 'Cameras with their latest health status',
      tags: ['cameras'],
      response: { 200: z.array(z.object({ id: z.string(), name: z.string().optional(), zones: z.array(z.string()), edgeNode: z.string(), status: CameraStatus.nullable() })), ...errors },
    },
    handler: async () => ctx.venue().cameras.map((c) => ({ id: c.id, name: c.name, zones: c.zones, edgeNode: c.edgeNode, status: ctx.state.cameras.get(c.id) ?? null })),
  })

  app.get('/api/robots', {
    schema: {
      summary: 'Robots with the fleet\'s latest status',
      tags: ['robots'],
      response: { 200: z.array(z.object({ id: z.string(), name: z.string().optional(), kind: z.string(), status: RobotStatus.nullable() })), ...errors },
    },
    handler: async () => ctx.venue().robots.map((r) => ({ id: r.id, name: r.name, kind: r.kind, status: ctx.state.robots.get(r.id) ?? null })),
  })

  app.post('/api/admin/reload', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'Reload and re-check the venue file; on errors the old one stays',
      tags: ['admin'],
      response: { 200: z.object({ reloaded: z.literal(true) }), 400: ErrorBody.extend({ issues: z.array(z.string()) }), 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (req, reply) => {
      const r = await ctx.reloadVenue()
      const who = req.session?.user ?? 'unknown'
      ctx.audit.append({ actor: who, action: 'venue.reload', detail: r.ok ? { ok: true } : { ok: false, errors: r.errors } })
      if (!r.ok) return reply.code(400).send({ error: 'the venue file has problems; the old one stays', issues: r.errors })
      return { reloaded: true as const }
    },
  })
}
