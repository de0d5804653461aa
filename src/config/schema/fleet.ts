import { z } from 'zod'
import { Id } from './common.js'

export const Schedule = z.strictObject({
  id: Id,
  kind: z.enum(['guard', 'patrol', 'delivery', 'verify', 'dock']),
  at: z
    .array(z.union([z.literal('start'), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM (24 h, site time zone)')]))
    .min(1)
    .describe('site-local times of day (HH:MM) the mission is requested, daily; "start" also when the fleet starts'),
  robot: Id.optional(),
  nodes: z.array(Id).default([]).describe('patrol waypoints, the node to verify, the guard post'),
  rooms: z.array(Id).default([]).describe('delivery: rooms to serve'),
  loop: z.boolean().default(false),
  snapshotAt: z.array(Id).default([]),
})
export type Schedule = z.infer<typeof Schedule>


export const FleetConfig = z.strictObject({
  dataDir: z.string().min(1).default('var/fleet').describe('folder of the fleet\'s store (proof-of-delivery records, audit), relative to the venue file'),
  mealsPerTrip: z.number().int().min(1).max(50).default(4).describe('meals a delivery robot carries per trip'),
  speed_mps: z.number().positive().max(3).default(1).describe('cruise speed used to plan and to estimate travel times'),
  stateTimeout_s: z.number().positive().max(600).default(10).describe('a robot silent this long is lost: its mission goes to another'),
  noProgress_s: z.number().positive().max(3600).default(60).describe('a robot driving but reaching no node for this long is stuck'),
  verifyDwell_s: z.number().min(0).max(3600).default(10).describe('how long a robot sent to verify looks before it reports'),
  schedules: z.array(Schedule).default([]).describe('missions the fleet requests itself: rounds, meals, guard duty'),
  statusInterval_ms: z.number().int().min(100).max(60_000).default(1000).describe('robot status is published at most this often (and on every change of mode)'),
})
export type FleetConfig = z.infer<typeof FleetConfig>
