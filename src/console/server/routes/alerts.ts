import { z } from 'zod'
import { Alert, stamp } from '../../../contract/index.js'
import { type App, type ConsoleContext, fail, sessionOf } from '../context.js'
import { Accepted, errors } from '../schemas.js'

const Note = z.object({ note: z.string().max(2000).default('') })
const AlertId = z.object({ id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/) })

export function alertRoutes(app: App, ctx: ConsoleContext): void {
  app.get('/api/alerts', {
    schema: {
      summary: 'Alerts, newest first',
      tags: ['alerts'],
      querystring: z.object({ state: z.enum(['open', 'all']).default('open'), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: { 200: z.array(Alert), ...errors },
    },
    handler: async (req) => {
      const { state, limit } = req.query
      if (state === 'all') return ctx.alerts.list({ limit })
      // open and acknowledged: what staff still have to deal with; the bus copy is the freshest
      const byId = new Map(ctx.alerts.open().map((a) => [a.id, a]))
      for (const a of ctx.state.alerts.values()) byId.set(a.id, a)
      return [...byId.values()].sort((a, b) => Date.parse(b.lastAt) - Date.parse(a.lastAt)).slice(0, limit)
    },
  })

  for (const action of ['acknowledge', 'resolve'] as const) {
    app.post(`/api/alerts/:id/${action === 'acknowledge' ? 'ack' : 'resolve'}`, {
      schema: {
        summary: action === 'acknowledge' ? 'Acknowledge an alert (sent to the monitor)' : 'Resolve an alert (sent to the monitor)',
        tags: ['alerts'],
        params: AlertId,
        body: Note.optional(),
        response: { 202: Accepted, ...errors },
      },
      handler: async (req, reply) => {
        const user = sessionOf(req).user
        const { id } = req.params
        if (ctx.state.alerts.get(id) === undefined && ctx.alerts.get(id) === undefined) return fail(reply, 404, `no alert ${id}`)
        const note = req.body?.note ?? ''
        // the monitor applies it and writes the audit entry with this user as the actor
        await ctx.state.publisher.publish('alertAction', { site: ctx.venue().site.id }, { ...stamp(new Date(ctx.clock())), alertId: id, action, by: user, note })
        return reply.code(202).send({ accepted: true as const })
      },
    })
  }

  app.get('/api/alerts/:id/evidence/:n', {
    schema: {
      summary: 'The JPEG behind entry n of the alert\'s evidence list (a snapshot entry)',
      tags: ['alerts'],
      params: AlertId.extend({ n: z.coerce.number().int().min(0).max(1000) }),
      produces: ['image/jpeg'],
    },
    handler: async (req, reply) => {
      const { id, n } = req.params
      // n indexes the alert's own evidence list (what the page shows), whose snapshot refs name the stored JPEGs
      const entry = (ctx.state.alerts.get(id) ?? ctx.alerts.get(id))?.evidence[n]
      const e = entry?.kind === 'snapshot' ? ctx.evidence.forAlert(id).find((x) => x.ref === entry.ref) : undefined
      if (e === undefined) return fail(reply, 404, `alert ${id} has no snapshot at evidence ${n}`)
      ctx.audit.append({ actor: sessionOf(req).user, action: 'evidence.view', subject: id, detail: { ref: e.ref, camera: e.camera } })
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').header('x-evidence-sha256', e.sha256).send(e.jpeg)
    },
  })
}
