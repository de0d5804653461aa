import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { Venue } from '../config/schema/venue.js'
import type { Logger } from '../shared/log.js'
import { Fleet } from './fleet.js'
import { Ros2Link } from './ros2/link.js'
import { loadRclnodejs } from './ros2/rcl.js'

export interface FleetRoleOptions {
  venue: Venue
  venueFile: string
  logger: Logger
  url: string
  username: string
  password: string
  /** Sim clock for `venue up`'s demo (default: the wall clock). */
  clock?: () => number
  /** Override the store file (default: fleet.dataDir/store.sqlite beside the venue file). */
  dbFile?: string
}

/** The fleet role wired from a venue file. */
export function fleetFromVenue(o: FleetRoleOptions): Fleet {
  const cfg = o.venue.fleet
  const dir = isAbsolute(cfg.dataDir) ? cfg.dataDir : resolve(dirname(o.venueFile), cfg.dataDir)
  return new Fleet({
    venue: o.venue,
    url: o.url,
    username: o.username,
    password: o.password,
    dbFile: o.dbFile ?? join(dir, 'store.sqlite'),
    logger: o.logger.child({ role: 'fleet' }),
    ...(o.clock === undefined ? {} : { clock: o.clock }),
    // rclnodejs is loaded only when a robot speaks ROS 2: it cannot install without a ROS 2 system
    linkFor: async (robot) =>
      robot.transport !== 'ros2'
        ? undefined
        : new Ros2Link({
            robot: robot.id,
            namespace: robot.ros2?.namespace ?? `/${robot.id}`,
            nodes: o.venue.navigation.nodes,
            dockNode: robot.dockNode,
            rcl: await loadRclnodejs(),
          }),
  })
}
