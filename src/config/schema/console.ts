import { z } from 'zod'
import { Id } from './common.js'
import { SecretHash } from './principals.js'

export const ConsoleRole = z.enum(['operator', 'supervisor', 'admin'])
export type ConsoleRole = z.infer<typeof ConsoleRole>

/** A person who logs in to the console page; not an MQTT principal (the console role is one). */
export const ConsoleUser = z.strictObject({
  name: Id.describe('login name'),
  role: ConsoleRole.describe('operator: alerts and missions; supervisor: also reveals identities; admin: also users and reload'),
  secretHash: SecretHash.describe('what `venue passwd` prints for the password'),
})
export type ConsoleUser = z.infer<typeof ConsoleUser>

export const ConsoleConfig = z.strictObject({
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1').describe('address to bind; keep loopback behind a TLS reverse proxy'),
      port: z.number().int().min(0).max(65535).default(8080).describe('HTTP and WebSocket port; 0 picks a free one'),
      trustedProxies: z
        .array(z.string().min(1).max(64))
        .default([])
        .describe(
          'reverse proxies (addresses, CIDR ranges, or "loopback") whose X-Forwarded-For and X-Forwarded-Proto are believed: login limits then count the client\'s address, and the session cookie is Secure behind TLS. Empty: none',
        ),
    })
    .default({ host: '127.0.0.1', port: 8080, trustedProxies: [] }),
  sessionIdle_min: z.number().min(1).max(24 * 60).default(30).describe('a session unused this long ends'),
  users: z
    .array(ConsoleUser)
    .default([])
    .refine((us) => new Set(us.map((u) => u.name)).size === us.length, 'console user names must be unique')
    .describe('seeded into the store on start; admins add more from the console'),
  allowedOrigins: z
    .array(z.string().regex(/^https?:\/\/[^/]+$/, 'an origin is scheme://host[:port]'))
    .default([])
    .describe('origins besides the console\'s own that may open its WebSockets (a reverse proxy\'s public name)'),
  identities: z
    .strictObject({
      keyFile: z.string().min(1).default('var/console/identity.key').describe('AES-256 key of the identity directory, relative to the venue file; created when missing'),
      keyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('VENUE_IDENTITY_KEY').describe('environment variable that overrides the key file'),
      demoNames: z.boolean().default(false).describe('seed made-up names for every roster subject (demo only)'),
    })
    .default({ keyFile: 'var/console/identity.key', keyEnv: 'VENUE_IDENTITY_KEY', demoNames: false }),
  live: z
    .strictObject({
      width_px: z.number().int().min(160).max(1920).default(640).describe('width of the live view; height keeps the aspect'),
      fps: z.number().min(1).max(30).default(5),
      quality: z.number().int().min(2).max(31).default(7).describe('JPEG qscale: 2 best, 31 worst'),
    })
    .default({ width_px: 640, fps: 5, quality: 7 }),
})
export type ConsoleConfig = z.infer<typeof ConsoleConfig>
