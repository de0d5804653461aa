import type { Command } from 'commander'
import { fleetFromVenue } from '../../robots/role.js'
import { registerRoleCommand } from '../role-command.js'

export function registerFleet(program: Command): void {
  registerRoleCommand(program, {
    name: 'fleet',
    description: 'run the fleet manager: mission requests in, robots driven over VDA 5050 (or ROS 2), robot status and mission state out',
    secretEnv: 'VENUE_FLEET_SECRET',
    dataDir: 'fleet.dataDir',
    build: fleetFromVenue,
  })
}
