import { readFileSync } from 'node:fs'
import type { Venue } from '../config/index.js'
import { verifySecret } from '../broker/passwords.js'

/** A mistake in how the command was called or set up: printed as one line, exit 1, no stack. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Where the roles connect: the venue file's external broker, else the embedded broker's TCP listener. */
export function brokerUrlOf(venue: Venue): string {
  return venue.broker.url ?? `mqtt://${venue.broker.tcp.host}:${venue.broker.tcp.port}`
}

/** A role's MQTT secret: a file, else an environment variable; never the command line (it shows in `ps`). */
export function readRoleSecret(file: string | undefined, env: string): string {
  if (file !== undefined) return readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? ''
  const value = process.env[env]
  if (value === undefined || value === '') throw new UsageError(`no MQTT secret: set ${env} or give --secret-file`)
  return value
}

/**
 * The secret of the venue's first principal of a role, for `venue up`: $envVar, else the public
 * development secret `dev-<name>` when the venue still uses it (the demo); otherwise a clear error.
 */
export async function roleLogin(venue: Venue, role: string, envVar: string): Promise<{ username: string; password: string }> {
  const p = venue.principals.find((x) => x.role === role)
  if (p === undefined) throw new UsageError(`the venue file has no principal with role "${role}": add one under principals`)
  const fromEnv = process.env[envVar]
  if (fromEnv !== undefined && fromEnv !== '') return { username: p.name, password: fromEnv }
  const dev = `dev-${p.name}`
  if (await verifySecret(dev, p.secretHash)) return { username: p.name, password: dev }
  throw new UsageError(`no secret for principal "${p.name}" (role ${role}): set ${envVar}`)
}

/**
 * Logins for every principal the simulator and the in-process roles use: $VENUE_SECRET_<NAME> (name
 * upper-cased, "-" as "_"), else the public development secret when the venue still has it.
 */
export async function principalLogins(venue: Venue): Promise<(name: string) => { username: string; password: string }> {
  const logins = new Map<string, string>()
  await Promise.all(
    venue.principals.map(async (p) => {
      const env = process.env[`VENUE_SECRET_${p.name.toUpperCase().replace(/-/g, '_')}`]
      if (env !== undefined && env !== '') logins.set(p.name, env)
      else if (await verifySecret(`dev-${p.name}`, p.secretHash)) logins.set(p.name, `dev-${p.name}`)
    }),
  )
  return (name) => {
    const password = logins.get(name)
    if (password === undefined) throw new UsageError(`no secret for principal "${name}": set VENUE_SECRET_${name.toUpperCase().replace(/-/g, '_')}`)
    return { username: name, password }
  }
}
