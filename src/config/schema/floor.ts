import { z } from 'zod'
import { FloorPoint, Id, ZoneKind } from './common.js'

export const Zone = z.strictObject({
  id: Id,
  name: z.string().min(1).optional(),
  kind: ZoneKind,
  polygon: z
    .array(FloorPoint)
    .min(4)
    .describe('closed ring in metres: the last point repeats the first (GeoJSON linear-ring convention)'),
  capacity: z.number().int().positive().optional().describe('people the zone is meant to hold; crowding rules default to it'),
})
export type Zone = z.infer<typeof Zone>

export const Door = z.strictObject({
  id: Id,
  between: z.tuple([Id, Id]).describe('the two zones the door joins'),
  at: FloorPoint,
  width_m: z.number().positive().max(10).default(0.9),
  gate: z.boolean().default(false).describe('a controlled check-in gate (counts passages for tailgating)'),
})
export type Door = z.infer<typeof Door>

export const Floor = z.strictObject({
  name: z.string().min(1).default('Floor 1'),
  width_m: z.number().positive().max(1000),
  height_m: z.number().positive().max(1000),
  zones: z.array(Zone).min(1),
  doors: z.array(Door).default([]),
})
export type Floor = z.infer<typeof Floor>

export const NavNode = z.strictObject({
  id: Id,
  at: FloorPoint,
  zone: Id.optional().describe('zone the node stands in; checked against the polygons'),
})
export type NavNode = z.infer<typeof NavNode>

export const NavEdge = z.strictObject({
  id: Id,
  from: Id,
  to: Id,
  width_m: z.number().positive().max(20).default(1.5),
  singleLane: z.boolean().default(false).describe('only one robot at a time: the fleet reserves it'),
  door: Id.optional().describe('door this edge passes through, reserved like a single lane'),
  maxSpeed_mps: z.number().positive().max(3).optional(),
})
export type NavEdge = z.infer<typeof NavEdge>

export const Navigation = z.strictObject({
  nodes: z.array(NavNode).min(1),
  edges: z.array(NavEdge).default([]),
})
export type Navigation = z.infer<typeof Navigation>
