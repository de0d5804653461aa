import { verifySecret } from '../../broker/passwords.js'
import type { Venue } from '../../config/schema/venue.js'
import type { Logger } from '../../shared/log.js'
import { storeFileOf, type RoleOptions } from '../../shared/role-options.js'
import { ConsoleServer } from './server.js'

export interface ConsoleRoleOptions extends RoleOptions {
  host?: string
  port?: number
  webRoot?: string
}

/** The console wired from a venue file: it reads and writes the monitor's store (alerts, evidence, audit). */
export function consoleFromVenue(o: ConsoleRoleOptions): ConsoleServer {
  return new ConsoleServer({
    venue: o.venue,
    venueFile: o.venueFile,
    url: o.url,
    username: o.username,
    password: o.password,
    logger: o.logger.child({ role: 'console' }),
    dbFile: storeFileOf(o, o.venue.monitor.dataDir),
    ...(o.clock === undefined ? {} : { clock: o.clock }),
    ...(o.host === undefined ? {} : { host: o.host }),
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.webRoot === undefined ? {} : { webRoot: o.webRoot }),
  })
}

/** Console users still on the public demo password `dev-<name>`: loud, like the principals' warning. */
export async function warnAboutDevUsers(venue: Venue, logger: Logger): Promise<void> {
  const hits = await Promise.all(venue.console.users.map(async (u) => ((await verifySecret(`dev-${u.name}`, u.secretHash)) ? u.name : undefined)))
  const names = hits.filter((n): n is string => n !== undefined)
  if (names.length > 0) logger.warn({ users: names }, `console users with the public development password dev-<name>: ${names.join(', ')}; never expose this console`)
}
