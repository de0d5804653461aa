import { z } from 'zod'
import { type App, type ConsoleContext, fail, sessionOf } from '../context.js'
import { originAllowed } from '../origin.js'

/**
 * GET /api/cameras/:id/live: a WebSocket of the camera's picture, for logged-in users only (the hook
 * refuses the upgrade with 401 without a session). Bytes on the socket: see src/console/README.md.
 */
export function cameraLiveRoute(app: App, ctx: ConsoleContext, allowedOrigins: () => readonly string[]): void {
  app.route({
    method: 'GET',
    url: '/api/cameras/:id/live',
    schema: { summary: 'WebSocket: the camera\'s live view as JPEG frames', tags: ['cameras'], params: z.object({ id: z.string().max(64) }) },
    preHandler: async (req, reply) => {
      if (!originAllowed(req, allowedOrigins())) return fail(reply, 403, 'origin not allowed')
      if (!ctx.venue().cameras.some((c) => c.id === req.params.id)) return fail(reply, 404, `no camera ${req.params.id}`)
    },
    handler: async (_req, reply) => fail(reply, 426, 'this is a WebSocket'),
    wsHandler: (socket, req) => {
      const camera = ctx.venue().cameras.find((c) => c.id === req.params.id)
      if (camera === undefined) return socket.close(4404, 'no such camera')
      ctx.audit.append({ actor: sessionOf(req).user, action: 'camera.live', subject: camera.id })
      ctx.live.watch(camera.id, camera.rtspUrl, socket)
    },
  })
}
