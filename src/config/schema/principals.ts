import { z } from 'zod'
import { Id, Role } from './common.js'

/** `venue passwd` writes this form: scrypt$N$r$p$salt$hash (base64). */
export const SecretHash = z
  .string()
  .regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'a secret hash is what `venue passwd` prints (scrypt$N$r$p$salt$hash)')

export const Principal = z.strictObject({
  name: Id.describe('MQTT username'),
  role: Role,
  secretHash: SecretHash,
  edgeNode: Id.optional().describe('role edge: the node whose cameras it may publish for'),
  robot: Id.optional().describe('role robot: the robot id it speaks for'),
})
export type Principal = z.infer<typeof Principal>
