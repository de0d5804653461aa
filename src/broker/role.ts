import { dirname, isAbsolute, resolve } from 'node:path'
import type { Venue } from '../config/index.js'
import type { Logger } from '../shared/log.js'
import { VenueBroker } from './broker.js'

export interface BrokerRoleOptions {
  venue: Venue
  venueFile: string
  logger: Logger
  host?: string
  port?: number
  wsPort?: number
  /** Override the venue file's data folder; null keeps everything in memory. */
  dataDir?: string | null
}

/** The broker role wired from a venue file: listeners and data folder as configured, overrides from the command line. */
export function brokerFromVenue(o: BrokerRoleOptions): VenueBroker {
  const cfg = o.venue.broker
  const dataDir =
    o.dataDir === null ? null : o.dataDir !== undefined ? resolve(o.dataDir) : isAbsolute(cfg.dataDir) ? cfg.dataDir : resolve(dirname(o.venueFile), cfg.dataDir)
  return new VenueBroker({
    venue: o.venue,
    logger: o.logger.child({ role: 'broker' }),
    dataDir,
    tcp: { host: o.host ?? cfg.tcp.host, port: o.port ?? cfg.tcp.port },
    ws: cfg.ws === undefined && o.wsPort === undefined ? undefined : { host: cfg.ws?.host ?? cfg.tcp.host, port: o.wsPort ?? cfg.ws?.port ?? 0, path: cfg.ws?.path ?? '/mqtt' },
  })
}
