import { z } from 'zod'
import { hashSecret } from '../../../broker/passwords.js'
import { ConsoleRole } from '../../../config/schema/console.js'
import type { AuditEntry } from '../../../store/index.js'
import { type App, type ConsoleContext, fail, sessionOf } from '../context.js'
import { ErrorBody, errors } from '../schemas.js'

const AuditRow = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  reason: z.string().nullable(),
  detail: z.string(),
  hash: z.string(),
})
const UserRow = z.object({ name: z.string(), role: ConsoleRole, source: z.enum(['venue', 'console']) })
const UserName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)

/** The newest `limit` audit entries, newest first. */
function newestAudit(ctx: ConsoleContext, limit: number): AuditEntry[] {
  const head = ctx.audit.head()
  if (head === undefined) return []
  return [...ctx.audit.entries(Math.max(0, head.seq - limit))].reverse()
}

export function peopleRoutes(app: App, ctx: ConsoleContext): void {
  app.get('/api/audit', {
    config: { roles: ['supervisor', 'admin'] },
    schema: {
      summary: 'The newest entries of the hash-chained audit log',
      tags: ['audit'],
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: { 200: z.array(AuditRow), ...errors },
    },
    handler: async (req) => newestAudit(ctx, req.query.limit),
  })

  // Supervisors only: an admin manages accounts, and keeping reveals away from that role means one
  // person cannot both make a login and use it to look people up unnoticed (each reveal names its user).
  app.post('/api/subjects/:id/reveal', {
    config: { roles: ['supervisor'] },
    schema: {
      summary: 'Who a pseudonymous subject is (supervisor; written to the audit log with the reason)',
      tags: ['identities'],
      params: z.object({ id: z.string().regex(/^sub-[a-z0-9]{4,32}$/) }),
      body: z.object({ reason: z.string().trim().min(5).max(500) }),
      response: { 200: z.object({ subject: z.string(), name: z.string(), organisation: z.string().optional() }), ...errors },
    },
    handler: async (req, reply) => {
      const { id } = req.params
      const identity = ctx.identities.get(id)
      // the attempt is audited even when the directory has no one: asking is what is being recorded
      ctx.audit.append({ actor: sessionOf(req).user, action: 'identity.reveal', subject: id, reason: req.body.reason, detail: { found: identity !== undefined } })
      if (identity === undefined) return fail(reply, 404, `the identity directory has no entry for ${id}`)
      return { subject: id, name: identity.name, ...(identity.organisation === undefined ? {} : { organisation: identity.organisation }) }
    },
  })

  app.get('/api/users', {
    config: { roles: ['admin'] },
    schema: { summary: 'Console users', tags: ['users'], response: { 200: z.array(UserRow), ...errors } },
    handler: async () => ctx.users.list().map((u) => ({ name: u.name, role: u.role, source: u.source })),
  })

  app.post('/api/users', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'Add a console user',
      tags: ['users'],
      body: z.object({ name: UserName, role: ConsoleRole, password: z.string().min(12).max(256) }),
      response: { 201: UserRow, 409: ErrorBody, ...errors },
    },
    handler: async (req, reply) => {
      const { name, role, password } = req.body
      const added = ctx.users.add({ name, role, secretHash: await hashSecret(password) }, ctx.clock())
      if (!added) return fail(reply, 409, `user ${name} exists`)
      ctx.audit.append({ actor: sessionOf(req).user, action: 'user.add', subject: name, detail: { role } })
      return reply.code(201).send({ name, role, source: 'console' as const })
    },
  })

  app.delete('/api/users/:name', {
    config: { roles: ['admin'] },
    schema: { summary: 'Remove a console user and end their sessions', tags: ['users'], params: z.object({ name: UserName }), response: { 204: z.null(), ...errors } },
    handler: async (req, reply) => {
      const { name } = req.params
      const me = sessionOf(req).user
      if (name === me) return fail(reply, 400, 'you cannot remove yourself')
      const u = ctx.users.get(name)
      if (u === undefined) return fail(reply, 404, `no user ${name}`)
      if (u.source === 'venue') return fail(reply, 400, `user ${name} comes from the venue file: remove it there and reload`)
      ctx.users.remove(name)
      ctx.sessions.endUser(name)
      ctx.audit.append({ actor: me, action: 'user.remove', subject: name })
      return reply.code(204).send(null)
    },
  })
}
