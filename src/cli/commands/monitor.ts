import type { Command } from 'commander'
import { monitorFromVenue } from '../../monitor/role.js'
import { registerRoleCommand } from '../role-command.js'

export function registerMonitor(program: Command): void {
  registerRoleCommand(program, {
    name: 'monitor',
    description: 'run the monitor: sightings from every camera to venue tracks, rules against the roster, alerts with evidence',
    secretEnv: 'VENUE_MONITOR_SECRET',
    dataDir: 'monitor.dataDir',
    build: monitorFromVenue,
  })
}
