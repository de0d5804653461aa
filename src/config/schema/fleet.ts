import { z } from 'zod'

export const FleetConfig = z.strictObject({
  dataDir: z.string().min(1).default('var/fleet').describe('folder of the fleet\'s store (proof-of-delivery records, audit), relative to the venue file'),
  mealsPerTrip: z.number().int().min(1).max(50).default(4).describe('meals a delivery robot carries per trip'),
  speed_mps: z.number().positive().max(3).default(1).describe('cruise speed used to plan and to estimate travel times'),
  stateTimeout_s: z.number().positive().max(600).default(10).describe('a robot silent this long is lost: its mission goes to another'),
  noProgress_s: z.number().positive().max(3600).default(60).describe('a robot driving but reaching no node for this long is stuck'),
  verifyDwell_s: z.number().min(0).max(3600).default(10).describe('how long a robot sent to verify looks before it reports'),
  statusInterval_ms: z.number().int().min(100).max(60_000).default(1000).describe('robot status is published at most this often (and on every change of mode)'),
})
export type FleetConfig = z.infer<typeof FleetConfig>
