import { storeFileOf, type RoleOptions } from '../shared/role-options.js'
import { Fleet } from './fleet.js'
import { Ros2Link } from './ros2/link.js'
import { loadRclnodejs } from './ros2/rcl.js'

/** The fleet role wired from a venue file. */
export function fleetFromVenue(o: RoleOptions): Fleet {
  return new Fleet({
    venue: o.venue,
    url: o.url,
    username: o.username,
    password: o.password,
    dbFile: storeFileOf(o, o.venue.fleet.dataDir),
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
