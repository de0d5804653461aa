// VDA 5050 2.x topic "instantActions", master control to vehicle (VDA 5050 6.9).
import { z } from 'zod'
import { Action, headerFields } from './common.js'

export const InstantActions = z
  .strictObject({
    ...headerFields,
    actions: z
      .array(Action)
      .describe('Actions the vehicle has to perform immediately, not part of the regular order, e.g. startPause, cancelOrder, stateRequest.'),
  })
  .describe(
    'VDA 5050 6.9 instantActions, master control to vehicle. Each action appears in the vehicle state as an actionState. ' +
      'This contract only sends the fields defined here (no extension fields at the top level).',
  )
export type InstantActions = z.infer<typeof InstantActions>
