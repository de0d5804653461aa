import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { consoleFromVenue, warnAboutDevUsers } from '../../console/server/role.js'
import { Lifecycle } from '../../shared/lifecycle.js'
import { createLogger } from '../../shared/log.js'
import { brokerUrlOf, readRoleSecret, roleLogin } from '../connect.js'
import { parsePort } from '../options.js'

interface ConsoleFlags {
  config: string
  brokerUrl?: string
  secretFile?: string
  db?: string
  host?: string
  port?: number
  webRoot?: string
}

export function registerConsole(program: Command): void {
  program
    .command('console')
    .description('run the staff console: HTTP API, live WebSocket and the page, with login and roles')
    .requiredOption('-c, --config <file>', 'venue file')
    .option('--broker-url <url>', 'MQTT broker (default: venue file)')
    .option('--secret-file <file>', 'file holding the console principal\'s MQTT secret (default: $VENUE_CONSOLE_SECRET)')
    .option('--db <file>', 'the monitor\'s store file (default: monitor.dataDir/store.sqlite beside the venue file)')
    .option('--host <address>', 'address to bind (default: venue file console.http.host)')
    .option('--port <port>', 'HTTP port (default: venue file console.http.port)', parsePort)
    .option('--web-root <dir>', 'folder of the built page (default: dist/web)')
    .action(async (flags: ConsoleFlags) => {
      const logger = createLogger()
      const { venue, file } = await loadVenue(flags.config)
      const login =
        flags.secretFile === undefined
          ? await roleLogin(venue, 'console', 'VENUE_CONSOLE_SECRET')
          : { username: venue.principals.find((p) => p.role === 'console')?.name ?? 'console', password: readRoleSecret(flags.secretFile, 'VENUE_CONSOLE_SECRET') }
      await warnAboutDevUsers(venue, logger)
      const server = consoleFromVenue({
        venue,
        venueFile: file,
        logger,
        url: flags.brokerUrl ?? brokerUrlOf(venue),
        ...login,
        ...(flags.db === undefined ? {} : { dbFile: flags.db }),
        ...(flags.host === undefined ? {} : { host: flags.host }),
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.webRoot === undefined ? {} : { webRoot: flags.webRoot }),
      })
      const life = new Lifecycle(logger)
      const stopped = life.stopOnSignals()
      await life.start('console', server)
      await stopped
    })
}
