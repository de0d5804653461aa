import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { brokerFromVenue } from '../../broker/role.js'
import { createLogger } from '../../shared/log.js'
import { Lifecycle } from '../../shared/lifecycle.js'
import { demoVenueFile } from '../../shared/paths.js'
import { summarise } from '../summary.js'
import { warnAboutDevSecrets } from '../warnings.js'
import { parseCount, parsePort } from '../options.js'
import { monitorFromVenue } from '../../monitor/role.js'
import { fleetFromVenue } from '../../robots/role.js'
import { consoleFromVenue, warnAboutDevUsers } from '../../console/server/role.js'
import { principalLogins, roleLogin } from '../connect.js'
import { SimRunner } from '../../sim/runner.js'
import { scenarioStart } from '../../sim/run.js'
import { loadScenario } from '../../sim/scenario.js'
import { pixelMode } from '../../sim/pixels/index.js'
import { localDate, localMidnight, localParts } from '../../shared/time.js'
import type { Venue } from '../../config/index.js'

interface UpFlags {
  config?: string
  brokerUrl?: string
  port?: number
  memory?: boolean
  sim?: boolean
  pixels?: number
  consolePort?: number
  scenario?: string
}

/** A temporary folder for the run, removed at the stop. */
function scratchDir(): { start: () => Promise<string>; stop: () => Promise<void> } {
  let dir: string | undefined
  return {
    start: async () => (dir = await mkdtemp(join(tmpdir(), 'venue-up-'))),
    stop: async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true })
    },
  }
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
    .description('run every role in one process: the embedded broker (unless the venue file names an external one), the monitor, the fleet, the staff console and the simulator')
    .option('-c, --config <file>', 'venue file (default: the built-in demo venue)')
    .option('--broker-url <url>', 'use this external MQTT broker (Mosquitto, EMQX, ...) instead of the embedded one')
    .option('--port <port>', 'broker TCP port (default: venue file)', parsePort)
    .option('--console-port <port>', 'console HTTP port (default: venue file console.http.port)', parsePort)
    .option('--no-sim', 'run the roles without the simulator (real cameras and robots connect to them)')
    .option('--memory', 'keep nothing: broker sessions and retained messages in memory, the monitor\'s store (which the console reads) in a scratch file removed at the stop')
    .option('--scenario <file>', "play a scenario's deviations at their times (its venue, start time and seed) instead of random ones; the venue lives on after its timeline")
    .option('--pixels <n>', 'pixel mode: N cameras as rendered video through an RTSP server and a real edge node (needs ../shared/faces)', parseCount)
    .action(async (flags: UpFlags) => {
      const logger = createLogger()
      const played = flags.scenario === undefined ? undefined : await loadScenario(flags.scenario)
      const file = flags.config ?? (played === undefined || played.venueFile === 'demo' ? demoVenueFile() : played.venueFile)
      const { venue: fromFile, file: venueFile } = await loadVenue(file)
      const seed = played?.scenario.seed ?? Date.now() % 100_000
      // pixel cameras render smaller frames: every role gets their scaled calibration (sim/pixels/venue.ts)
      const px = flags.pixels === undefined || flags.sim === false ? undefined : pixelMode(fromFile, flags.pixels, { seed, start_ms: played === undefined ? demoStart(fromFile) : scenarioStart(fromFile, played.scenario), visitors: played?.scenario.visitors ?? 3, deviations: played?.scenario.deviations ?? [], duration_s: 1800 })
      const venue = px?.venue ?? fromFile
      if (px !== undefined) logger.info({ cameras: px.cameras }, `pixel mode: ${px.cameras.join(', ')} rendered, served over RTSP and read by a real edge node`)
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
      // the demo runs on a sim clock: the real time, or 09:00 today when the venue would be empty now,
      // or the scenario's start; every role and the simulator read the same clock
      const wall0 = Date.now()
      const simStart = flags.sim === false ? wall0 : played !== undefined ? scenarioStart(venue, played.scenario) : demoStart(venue)
      const offset = simStart - wall0
      const clock = offset === 0 ? undefined : (): number => Date.now() + offset
      if (played !== undefined) logger.info({ scenario: played.scenario.name, simTime: new Date(simStart).toISOString(), deviations: played.scenario.deviations.length }, 'playing a scenario: the sim clock starts at its start time')
      else if (clock !== undefined) logger.info({ simTime: new Date(simStart).toISOString() }, 'outside working hours: the demo runs on a sim clock that starts at 09:00 today')
      // the simulated hardware is stopped after the roles (the stop runs in reverse): cameras and robots
      // do not vanish when the control room shuts down, so a stop leaves no failed mission nor alert
      const sim = flags.sim === false ? undefined : new SimRunner({
        venue,
        url,
        login: await principalLogins(venue),
        start_ms: simStart,
        speed: 1,
        seed,
        wall0,
        logger: logger.child({ role: 'sim' }),
        ...(played === undefined ? { randomDeviationEvery_s: 240 } : { deviations: played.scenario.deviations, visitors: played.scenario.visitors }),
        ...(px === undefined ? {} : { pixels: { cameras: px.cameras, venueFile } }),
      })
      if (sim !== undefined) await life.start('simulated hardware', { start: async () => undefined, stop: () => sim.stop() })
      // --memory: the monitor's store is a scratch file the console also reads (two in-memory databases
      // would each be empty to the other), removed when the venue stops
      const scratch = flags.memory === true ? await life.start('scratch store', scratchDir()) : undefined
      const storeFile = scratch === undefined ? {} : { dbFile: join(scratch, 'store.sqlite') }
      const monitor = monitorFromVenue({ venue, venueFile, logger, url, ...(clock ? { clock } : {}), ...(await roleLogin(venue, 'monitor', 'VENUE_MONITOR_SECRET')), ...storeFile })
      await life.start('monitor', monitor)
      const fleet = fleetFromVenue({ venue, venueFile, logger, url, ...(clock ? { clock } : {}), ...(await roleLogin(venue, 'fleet', 'VENUE_FLEET_SECRET')), ...(flags.memory === true ? { dbFile: ':memory:' } : {}) })
      await life.start('fleet', fleet)
      await warnAboutDevUsers(venue, logger)
      const staffConsole = consoleFromVenue({ venue, venueFile, logger, url, ...(clock ? { clock } : {}), ...(await roleLogin(venue, 'console', 'VENUE_CONSOLE_SECRET')), ...storeFile, ...(flags.consolePort === undefined ? {} : { port: flags.consolePort }) })
      await life.start('console', staffConsole)
      // the simulator starts last, once every role listens
      if (sim !== undefined) await life.start('sim', { start: () => sim.start(), stop: async () => undefined })
      logger.info('venue is up; Ctrl-C stops it')
      await stopped
    })
}
