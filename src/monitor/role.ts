import { storeFileOf, type RoleOptions } from '../shared/role-options.js'
import { Monitor } from './monitor.js'

/** The monitor role wired from a venue file: its store beside the file, as configured. */
export function monitorFromVenue(o: RoleOptions): Monitor {
  const logger = o.logger.child({ role: 'monitor' })
  return new Monitor({
    venue: o.venue,
    url: o.url,
    username: o.username,
    password: o.password,
    dbFile: storeFileOf(o, o.venue.monitor.dataDir),
    logger,
    ...(o.clock === undefined ? {} : { clock: o.clock }),
  })
}
