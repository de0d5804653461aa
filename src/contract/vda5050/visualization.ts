// VDA 5050 2.x topic "visualization", vehicle to visualisation systems (VDA 5050 6.13).
import { z } from 'zod'
import { AgvPosition, headerFields, Velocity } from './common.js'

export const Visualization = z
  .looseObject({
    headerId: headerFields.headerId.optional(),
    timestamp: headerFields.timestamp.optional(),
    version: headerFields.version.optional(),
    manufacturer: headerFields.manufacturer.optional(),
    serialNumber: headerFields.serialNumber.optional(),
    agvPosition: AgvPosition.optional(),
    velocity: Velocity.optional(),
  })
  .describe(
    'VDA 5050 6.13 visualization: position and velocity at a higher rate than state, for visualisation only. ' +
      'As in the official schema every field is optional, to save bandwidth; vendor extension fields are allowed.',
  )
export type Visualization = z.infer<typeof Visualization>
