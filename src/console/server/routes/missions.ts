import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { MissionState, stamp } from '../../../contract/index.js'
import { type App, type ConsoleContext, fail, sessionOf } from '../context.js'
import { errors } from '../schemas.js'

const Ref = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)
const RequestAccepted = z.object({ requestId: z.string() })

const newRequestId = (): string => `console-${randomBytes(6).toString('hex')}`

export const MissionBody = z.object({
  kind: z.enum(['patrol', 'delivery', 'verify']),
  robot: Ref.optional().describe('a robot to use; default: the fleet picks one'),
  nodes: z.array(Ref).max(100).optional().describe('patrol: waypoints'),
  rooms: z.array(Ref).max(50).optional().describe('delivery: rooms to serve'),
  node: Ref.optional().describe('verify: the navigation node to go and look at'),
  loop: z.boolean().optional(),
})
export type MissionBody = z.infer<typeof MissionBody>

/** What is wrong with a mission request against the venue, or undefined. */
function problemOf(body: MissionBody, ctx: ConsoleContext): string | undefined {
  const v = ctx.venue()
  const nodes = new Set(v.navigation.nodes.map((n) => n.id))
  if (body.robot !== undefined && !v.robots.some((r) => r.id === body.robot)) return `no robot ${body.robot}`
  const wanted = [...(body.nodes ?? []), ...(body.node === undefined ? [] : [body.node])]
  const unknown = wanted.filter((n) => !nodes.has(n))
  if (unknown.length > 0) return `no navigation node ${unknown.join(', ')}`
  const rooms = new Set(v.floor.zones.map((z) => z.id))
  const badRooms = (body.rooms ?? []).filter((r) => !rooms.has(r))
  if (badRooms.length > 0) return `no room ${badRooms.join(', ')}`
  if (body.kind === 'patrol' && (body.nodes ?? []).length === 0) return 'a patrol needs nodes'
  if (body.kind === 'delivery' && (body.rooms ?? []).length === 0) return 'a delivery needs rooms'
  if (body.kind === 'verify' && wanted.length === 0) return 'a verify mission needs a node'
  return undefined
}

export function missionRoutes(app: App, ctx: ConsoleContext): void {
  app.get('/api/missions', {
    schema: { summary: 'Missions the fleet reported, latest state each', tags: ['missions'], response: { 200: z.array(MissionState), ...errors } },
    handler: async () => [...ctx.state.missions.values()].reverse(),
  })

  app.post('/api/missions', {
    schema: { summary: 'Ask the fleet for a mission', tags: ['missions'], body: MissionBody, response: { 202: RequestAccepted, ...errors } },
    handler: async (req, reply) => {
      const problem = problemOf(req.body, ctx)
      if (problem !== undefined) return fail(reply, 400, problem)
      const user = sessionOf(req).user
      const b = req.body
      const requestId = newRequestId()
      await ctx.state.publisher.publish('missionRequest', { site: ctx.venue().site.id }, {
        ...stamp(new Date(ctx.clock())),
        action: 'start',
        requestId,
        kind: b.kind,
        ...(b.robot === undefined ? {} : { robot: b.robot }),
        nodes: [...(b.nodes ?? []), ...(b.node === undefined ? [] : [b.node])],
        rooms: b.rooms ?? [],
        loop: b.loop ?? false,
        requestedBy: user,
      })
      ctx.audit.append({ actor: user, action: 'mission.start', subject: requestId, detail: { kind: b.kind, robot: b.robot ?? null, nodes: b.nodes ?? [], rooms: b.rooms ?? [], node: b.node ?? null } })
      return reply.code(202).send({ requestId })
    },
  })

  app.post('/api/missions/:id/cancel', {
    schema: { summary: 'Ask the fleet to cancel a mission', tags: ['missions'], params: z.object({ id: Ref }), response: { 202: RequestAccepted, ...errors } },
    handler: async (req, reply) => {
      const user = sessionOf(req).user
      const missionId = req.params.id
      const requestId = newRequestId()
      await ctx.state.publisher.publish('missionRequest', { site: ctx.venue().site.id }, { ...stamp(new Date(ctx.clock())), action: 'cancel', requestId, missionId, requestedBy: user })
      ctx.audit.append({ actor: user, action: 'mission.cancel', subject: missionId, detail: { requestId } })
      return reply.code(202).send({ requestId })
    },
  })
}
