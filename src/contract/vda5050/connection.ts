// VDA 5050 2.x topic "connection", vehicle (or broker, as last will) to master control (VDA 5050 6.14).
import { z } from 'zod'
import { headerFields } from './common.js'

export const ConnectionState = z
  .enum(['ONLINE', 'OFFLINE', 'CONNECTIONBROKEN'])
  .describe(
    'ONLINE: connection between vehicle and broker is active; OFFLINE: it went offline in a coordinated way; ' +
      'CONNECTIONBROKEN: it ended unexpectedly (the last will) (VDA 5050 6.14).',
  )
export type ConnectionState = z.infer<typeof ConnectionState>

export const Connection = z
  .looseObject({
    ...headerFields,
    connectionState: ConnectionState,
  })
  .describe(
    'VDA 5050 6.14 connection: sent retained with QoS 1; the vehicle sets a last will with connectionState CONNECTIONBROKEN ' +
      '(its headerId and timestamp are then those of the connect). Vendor extension fields are allowed.',
  )
export type Connection = z.infer<typeof Connection>
