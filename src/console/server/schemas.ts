import { z } from 'zod'

/** Every 4xx/5xx body. */
export const ErrorBody = z.object({ error: z.string(), issues: z.array(z.string()).optional() })

export const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } as const

export const Accepted = z.object({ accepted: z.literal(true), requestId: z.string().optional() })

const Point = z.tuple([z.number(), z.number()])

/** What the page draws the map from: geometry and ids only, no names of people. */
export const VenueView = z.object({
  site: z.object({ id: z.string(), name: z.string(), timezone: z.string() }),
  floor: z.object({
    name: z.string(),
    width_m: z.number(),
    height_m: z.number(),
    zones: z.array(z.object({ id: z.string(), name: z.string().optional(), kind: z.string(), polygon: z.array(Point), capacity: z.number().optional() })),
    doors: z.array(z.object({ id: z.string(), between: z.tuple([z.string(), z.string()]), at: Point, width_m: z.number(), gate: z.boolean() })),
  }),
  graph: z.object({
    nodes: z.array(z.object({ id: z.string(), xy: Point, zone: z.string().optional() })),
    edges: z.array(z.object({ id: z.string(), from: z.string(), to: z.string(), singleLane: z.boolean(), door: z.string().optional() })),
  }),
  cameras: z.array(z.object({ id: z.string(), name: z.string().optional(), zones: z.array(z.string()), edgeNode: z.string(), position: Point.optional() })),
  robots: z.array(z.object({ id: z.string(), name: z.string().optional(), kind: z.string(), dockNode: z.string() })),
  projects: z.array(z.object({ id: z.string(), session: z.string(), rooms: z.array(z.string()), experts: z.array(z.string()) })),
  sessions: z.array(z.object({ id: z.string(), start: z.string(), end: z.string() })),
})
export type VenueView = z.infer<typeof VenueView>
