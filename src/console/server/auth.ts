import { z } from 'zod'
import { verifySecret } from '../../broker/passwords.js'
import { ConsoleRole } from '../../config/schema/console.js'
import { type App, type ConsoleContext, fail, sessionOf } from './context.js'
import { ErrorBody } from './schemas.js'
import { SESSION_COOKIE } from './sessions.js'

const Me = z.object({ user: z.string(), role: ConsoleRole })

/** A scrypt hash that no password matches, checked for unknown users so both answers take as long. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

/**
 * Every /api route needs a session unless its config says `public`; `roles` narrows it further.
 * onRequest runs before a WebSocket upgrade too, so a socket without a session is refused with 401.
 */
export function installAuth(app: App, ctx: ConsoleContext): void {
  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config
    // by the matched route's pattern, not the raw URL: no spelling of a path can reach an API route unchecked
    const path = req.routeOptions.url ?? req.url
    if (!path.startsWith('/api/') || config.public === true) return
    const session = ctx.sessions.touch(req.cookies[SESSION_COOKIE])
    if (session === undefined) return fail(reply, 401, 'log in first')
    req.session = session
    if (config.roles !== undefined && !config.roles.includes(session.role)) return fail(reply, 403, `not allowed for role ${session.role}`)
  })

  app.post('/api/session', {
    config: { public: true },
    schema: {
      summary: 'Log in: sets the venue_session cookie',
      tags: ['session'],
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
      response: { 200: Me, 401: ErrorBody, 429: ErrorBody },
    },
    handler: async (req, reply) => {
      const { username, password } = req.body
      const wait = ctx.limiter.retryAfter(req.ip, username)
      if (wait > 0) {
        void reply.header('retry-after', String(Math.ceil(wait / 1000)))
        return fail(reply, 429, 'too many failed logins; try again later')
      }
      const user = ctx.users.get(username)
      const ok = await verifySecret(password, user?.secretHash ?? DUMMY_HASH)
      if (user === undefined || !ok) {
        ctx.limiter.fail(req.ip, username)
        ctx.logger.warn({ user: username, ip: req.ip }, 'console login failed')
        return fail(reply, 401, 'wrong user name or password')
      }
      ctx.limiter.succeed(req.ip, username)
      const token = ctx.sessions.create(user.name, user.role)
      void reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.protocol === 'https',
        // no Max-Age: a browser-session cookie; the server ends idle sessions, and an open page's
        // WebSocket keeps its session in use all day
      })
      ctx.logger.info({ user: user.name, role: user.role }, 'console login')
      return { user: user.name, role: user.role }
    },
  })

  app.get('/api/session', {
    schema: { summary: 'Who is logged in', tags: ['session'], response: { 200: Me, 401: ErrorBody } },
    handler: async (req) => {
      const s = sessionOf(req)
      return { user: s.user, role: s.role }
    },
  })

  app.delete('/api/session', {
    schema: { summary: 'Log out', tags: ['session'], response: { 204: z.null(), 401: ErrorBody } },
    handler: async (req, reply) => {
      ctx.sessions.end(req.cookies[SESSION_COOKIE])
      void reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(204).send(null)
    },
  })
}
