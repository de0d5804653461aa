import { z } from 'zod'
import { Id } from './common.js'

export const RobotKind = z.enum(['guard', 'patrol', 'delivery'])
export const Transport = z.enum(['vda5050', 'ros2'])

export const Robot = z.strictObject({
  id: Id,
  name: z.string().min(1).optional(),
  kind: RobotKind,
  transport: Transport.default('vda5050'),
  dockNode: Id.describe('navigation node of its charging dock'),
  vda5050: z
    .strictObject({
      manufacturer: Id,
      serialNumber: Id,
    })
    .describe('VDA 5050 identity: the topic levels {manufacturer}/{serialNumber}'),
  ros2: z
    .strictObject({
      namespace: z.string().regex(/^\/[A-Za-z0-9_/]*$/, 'a ROS 2 namespace starts with "/"'),
    })
    .optional(),
  battery: z
    .strictObject({
      low_pct: z.number().min(1).max(99).default(25).describe('below this the robot is sent to its dock'),
      ready_pct: z.number().min(1).max(100).default(80).describe('back in service once charged to this'),
    })
    .default({ low_pct: 25, ready_pct: 80 }),
})
export type Robot = z.infer<typeof Robot>
