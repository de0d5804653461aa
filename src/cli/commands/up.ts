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
import { principalLogins, roleLogin } from '../connect.js'
import { SimRunner } from '../../sim/runner.js'
import { localDate, localMidnight, localParts } from '../../shared/time.js'
import type { Venue } from '../../config/index.js'

interface UpFlags {
  config?: string
  brokerUrl?: string
  port?: number
  memory?: boolean
  sim?: boolean
}

/** Now, when the demo venue would be busy (08:00-17:00 site time); else 09:00 today. */
function demoStart(venue: Venue): number {
  const now = Date.now()
  const p = localParts(now, venue.site.timezone)
  if (p.hour >= 8 && p.hour < 17) return now
  return localMidnight(localDate(now, venue.site.timezone), venue.site.timezone) + 9 * 3_600_000
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('run every role in one process: the embedded broker (unless the venue file names an external one), the monitor, the fleet and the simulator (and, as it lands, the console)')
    .option('-c, --config <file>', 'venue file (default: the built-in demo venue)')
    .option('--broker-url <url>', 'use this external MQTT broker (Mosquitto, EMQX, ...) instead of the embedded one')
    .option('--port <port>', 'broker TCP port (default: venue file)', parsePort)
    .option('--no-sim', 'run the roles without the simulator (real cameras and robots connect to them)')
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
 // the demo runs on a sim clock: the real time, or 09:00 today when the venue would be empty now
      const simStart = flags.sim === false ? Date.now() : demoStart(venue)
      const offset = simStart - Date.now()
      const clock = offset === 0 ? undefined : (): number => Date.now() + offset
      if (clock !== undefined) logger.info({ simTime: new Date(simStart).toISOString() }, 'outside working hours: the demo runs on a sim clock that starts at 09:00 today')
      const monitor = monitorFromVenue({ venue, venueFile, logger, url, ...(clock ? { clock } : {}), ...(await roleLogin(venue, 'monitor', 'VENUE_MONITOR_SECRET')), ...(flags.memory === true ? { dbFile: ':memory:' } : {}) })
      await life.start('monitor', monitor)
      const fleet = fleetFromVenue({ venue, venueFile, logger, url, ...(clock ? { clock } : {}), ...(await roleLogin(venue, 'fleet', 'VENUE_FLEET_SECRET')), ...(flags.memory === true ? { dbFile: ':memory:' } : {}) })
      await life.start('fleet', fleet)
      if (flags.sim !== false) {
        const sim = new SimRunner({
          venue,
          url,
          login: await principalLogins(venue),
          start_ms: simStart,
          speed: 1,
          seed: Date.now() % 100_000,
          logger: logger.child({ role: 'sim' }),
          randomDeviationEvery_s: 240,
        })
        await life.start('sim', sim)
      }
      logger.info('venue is up; Ctrl-C stops it')
      await stopped
    })
}
