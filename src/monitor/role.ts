import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { Venue } from '../config/schema/venue.js'
import type { Logger } from '../shared/log.js'
import { Monitor } from './monitor.js'

export interface MonitorRoleOptions {
  venue: Venue
  venueFile: string
  logger: Logger
  url: string
  username: string
  password: string
  /** Sim clock for `venue up`'s demo (default: the wall clock). */
  clock?: () => number
  /** Override the store file (default: monitor.dataDir/store.sqlite beside the venue file). */
  dbFile?: string
}

/** The monitor role wired from a venue file: its store beside the file, as configured. */
export function monitorFromVenue(o: MonitorRoleOptions): Monitor {
  const cfg = o.venue.monitor
  const dir = isAbsolute(cfg.dataDir) ? cfg.dataDir : resolve(dirname(o.venueFile), cfg.dataDir)
  const logger = o.logger.child({ role: 'monitor' })
  return new Monitor({
    venue: o.venue,
    url: o.url,
    username: o.username,
    password: o.password,
    dbFile: o.dbFile ?? join(dir, 'store.sqlite'),
    logger,
    ...(o.clock === undefined ? {} : { clock: o.clock }),
  })
}
