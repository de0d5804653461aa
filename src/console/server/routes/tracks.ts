import { z } from 'zod'
import { PersonTrack } from '../../../contract/index.js'
import { type App, type ConsoleContext, fail, sessionOf } from '../context.js'
import { errors } from '../schemas.js'

const When = z.union([z.coerce.number().int().min(0), z.iso.datetime({ offset: true })]).describe('epoch ms or ISO 8601')
const ms = (w: number | string): number => (typeof w === 'number' ? w : Date.parse(w))

const Sample = z.object({
  at: z.string(),
  occupancy: z.object({ total: z.number(), byKind: z.record(z.string(), z.number()) }),
  cameraFps: z.record(z.string(), z.number()),
  openAlerts: z.record(z.string(), z.number()),
})

/** The longest trajectory query: a working day; longer ones are for `venue trajectories` on the store. */
const MAX_SPAN_MS = 24 * 3_600_000

export function trackRoutes(app: App, ctx: ConsoleContext): void {
  app.get('/api/tracks', {
    schema: {
      summary: 'The latest venue tracks from the monitor',
      tags: ['tracks'],
      response: { 200: z.object({ at: z.string().nullable(), tracks: z.array(PersonTrack) }), ...errors },
    },
    handler: async () => ({ at: ctx.state.tracks?.timestamp ?? null, tracks: ctx.state.tracks?.tracks ?? [] }),
  })

  app.get('/api/trajectories', {
    schema: {
      summary: 'Where a subject was between two times (downsampled); every query is audited',
      tags: ['tracks'],
      querystring: z.object({ subject: z.string().min(1).max(64), from: When, to: When }),
      response: { 200: z.object({ subject: z.string(), points: z.array(z.object({ at: z.number(), x: z.number(), y: z.number(), zone: z.string().nullable() })) }), ...errors },
    },
    handler: async (req, reply) => {
      const { subject } = req.query
      const from = ms(req.query.from)
      const to = ms(req.query.to)
      if (!(to >= from) || to - from > MAX_SPAN_MS) return fail(reply, 400, 'to must follow from, at most 24 h later')
      ctx.audit.append({ actor: sessionOf(req).user, action: 'trajectory.view', subject, detail: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } })
      const points = ctx.trajectories.where(subject, from, to).map((p) => ({ at: p.at, x: p.x, y: p.y, zone: p.zone }))
      return { subject, points }
    },
  })

  app.get('/api/telemetry', {
    schema: {
      summary: 'Occupancy, camera fps and open alerts sampled every 10 s (kept in memory for a day)',
      tags: ['telemetry'],
      querystring: z.object({ hours: z.coerce.number().positive().max(24).default(1) }),
      response: { 200: z.object({ every_s: z.number(), samples: z.array(Sample) }), ...errors },
    },
    handler: async (req) => ({ every_s: 10, samples: ctx.telemetry.since(ctx.clock() - req.query.hours * 3_600_000) }),
  })
}
