import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { Venue } from '../config/schema/venue.js'
import type { Logger } from './log.js'

/** What a role with a store is built from: the venue file, its broker login, and overrides. */
export interface RoleOptions {
  venue: Venue
  venueFile: string
  logger: Logger
  url: string
  username: string
  password: string
  /** Sim clock for `venue up`'s demo (default: the wall clock). */
  clock?: () => number
  /** Override the store file (default: the role's dataDir/store.sqlite beside the venue file). */
  dbFile?: string
}

/** The role's SQLite file: the override, else `dataDir` (relative to the venue file)/store.sqlite. */
export function storeFileOf(o: Pick<RoleOptions, 'venueFile' | 'dbFile'>, dataDir: string): string {
  return o.dbFile ?? join(isAbsolute(dataDir) ? dataDir : resolve(dirname(o.venueFile), dataDir), 'store.sqlite')
}
