import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { brokerFromVenue } from '../../broker/role.js'
import { createLogger } from '../../shared/log.js'
import { Lifecycle } from '../../shared/lifecycle.js'
import { parsePort } from '../options.js'
import { warnAboutDevSecrets } from '../warnings.js'

export interface BrokerFlags {
  config: string
  host?: string
  port?: number
  wsPort?: number
  data?: string
  memory?: boolean
}

export function registerBroker(program: Command): void {
  program
    .command('broker')
    .description('run the embedded MQTT broker alone (auth, ACL, contract validation, persistence)')
    .requiredOption('-c, --config <file>', 'venue file')
    .option('--host <address>', 'TCP listen address (default: venue file)')
    .option('--port <port>', 'TCP port (default: venue file)', parsePort)
    .option('--ws-port <port>', 'WebSocket port (default: venue file)', parsePort)
    .option('--data <dir>', 'persistence folder (default: venue file)')
    .option('--memory', 'keep sessions and retained messages in memory only')
    .action(async (flags: BrokerFlags) => {
      const logger = createLogger()
      const { venue, file } = await loadVenue(flags.config)
      await warnAboutDevSecrets(venue, logger)
      const life = new Lifecycle(logger)
      const broker = brokerFromVenue({
        venue,
        venueFile: file,
        logger,
        ...(flags.host === undefined ? {} : { host: flags.host }),
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.wsPort === undefined ? {} : { wsPort: flags.wsPort }),
        ...(flags.memory === true ? { dataDir: null } : flags.data === undefined ? {} : { dataDir: flags.data }),
      })
      await life.start('broker', broker)
      await life.stopOnSignals()
    })
}
