import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { monitorFromVenue } from '../../monitor/role.js'
import { createLogger } from '../../shared/log.js'
import { Lifecycle } from '../../shared/lifecycle.js'
import { brokerUrlOf, readRoleSecret } from '../connect.js'

interface MonitorFlags {
  config: string
  brokerUrl?: string
  user?: string
  secretFile?: string
  db?: string
}

export function registerMonitor(program: Command): void {
  program
    .command('monitor')
    .description('run the monitor: sightings from every camera to venue tracks, rules against the roster, alerts with evidence')
    .requiredOption('-c, --config <file>', 'venue file')
    .option('--broker-url <url>', 'MQTT broker (default: venue file)')
    .option('--user <name>', 'MQTT principal (default: monitor)')
    .option('--secret-file <file>', 'file holding the principal\'s secret (default: $VENUE_MONITOR_SECRET)')
    .option('--db <file>', 'store file (default: monitor.dataDir/store.sqlite beside the venue file)')
    .action(async (flags: MonitorFlags) => {
      const logger = createLogger()
      const { venue, file } = await loadVenue(flags.config)
      const monitor = monitorFromVenue({
        venue,
        venueFile: file,
        logger,
        url: flags.brokerUrl ?? brokerUrlOf(venue),
        username: flags.user ?? 'monitor',
        password: readRoleSecret(flags.secretFile, 'VENUE_MONITOR_SECRET'),
        ...(flags.db === undefined ? {} : { dbFile: flags.db }),
      })
      const life = new Lifecycle(logger)
      const stopped = life.stopOnSignals()
      await life.start('monitor', monitor)
      await stopped
    })
}
