import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { brokerFromVenue } from '../../broker/role.js'
import { createLogger } from '../../shared/log.js'
import { Lifecycle } from '../../shared/lifecycle.js'
import { demoVenueFile } from '../../shared/paths.js'
import { summarise } from '../summary.js'
import { warnAboutDevSecrets } from '../warnings.js'
import { parsePort } from '../options.js'
import { monitorFromVenue } from '../../monitor/role.js'
import { fleetFromVenue } from '../../robots/role.js'
import { roleLogin } from '../connect.js'

interface UpFlags {
  config?: string
  brokerUrl?: string
  port?: number
  memory?: boolean
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('run every role in one process: the embedded broker (unless the venue file names an external one), the monitor, the fleet and, as they land, console and simulator')
    .option('-c, --config <file>', 'venue file (default: the built-in demo venue)')
    .option('--broker-url <url>', 'use this external MQTT broker (Mosquitto, EMQX, ...) instead of the embedded one')
    .option('--port <port>', 'broker TCP port (default: venue file)', parsePort)
    .option('--memory', 'keep everything in memory: broker sessions and retained messages, the monitor\'s store')
    .action(async (flags: UpFlags) => {
      const logger = createLogger()
      const file = flags.config ?? demoVenueFile()
      const { venue, file: venueFile } = await loadVenue(file)
      logger.info({ file }, summarise(venue))
      await warnAboutDevSecrets(venue, logger)
      const life = new Lifecycle(logger)
      const stopped = life.stopOnSignals()
      const external = flags.brokerUrl ?? venue.broker.url
      let url: string
      if (external === undefined) {
        const broker = brokerFromVenue({
          venue,
          venueFile,
          logger,
          ...(flags.port === undefined ? {} : { port: flags.port }),
          ...(flags.memory === true ? { dataDir: null } : {}),
        })
        const addresses = await life.start('broker', broker)
        url = `mqtt://127.0.0.1:${addresses.tcp.port}`
      } else {
        logger.info({ url: external }, 'using an external broker; its own ACL must carry the role rules (venue acl)')
        url = external
      }
      const monitor = monitorFromVenue({ venue, venueFile, logger, url, ...(await roleLogin(venue, 'monitor', 'VENUE_MONITOR_SECRET')), ...(flags.memory === true ? { dbFile: ':memory:' } : {}) })
      await life.start('monitor', monitor)
      const fleet = fleetFromVenue({ venue, venueFile, logger, url, ...(await roleLogin(venue, 'fleet', 'VENUE_FLEET_SECRET')), ...(flags.memory === true ? { dbFile: ':memory:' } : {}) })
      await life.start('fleet', fleet)
      logger.info('venue is up; Ctrl-C stops it')
      await stopped
    })
}
