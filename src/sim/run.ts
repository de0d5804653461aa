/**
 * `venue sim run FILE`: a scenario against the real roles. Broker, monitor and fleet run in this
 * process on the sim clock; the simulator connects to them like cameras and robots; a console
 * client collects the alerts; at the end the alerts are scored against the scenario's expectations.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { VenueBroker } from '../broker/broker.js'
import type { Venue } from '../config/schema/venue.js'
import { Bus } from '../contract/bus.js'
import type { Alert } from '../contract/venue/alerts.js'
import { Monitor } from '../monitor/monitor.js'
import { Fleet } from '../robots/fleet.js'
import type { Logger } from '../shared/log.js'
import { localDate, localMidnight } from '../shared/time.js'
import { SimRunner, type Login } from './runner.js'
import type { Scenario } from './scenario.js'
import { score, type Score } from './score.js'

export interface RunOptions {
  venue: Venue
  scenario: Scenario
  /** Sim seconds per wall second; default the scenario's. */
  speed?: number
  login: (principal: string) => Login
  logger: Logger
  /** Write score.json (and the run's alerts) here. */
  reportDir?: string
  /** Wall ms to wait after the end for late alerts (default 1500). */
  settle_ms?: number
}

export interface RunResult {
  score: Score
  alerts: Alert[]
  start_ms: number
}

/** The scenario's start on the roster's day, in the site's time zone. */
export function scenarioStart(venue: Pick<Venue, 'site' | 'roster'>, scenario: Pick<Scenario, 'start'>, now = Date.now()): number {
  const tz = venue.site.timezone
  const day = venue.roster.date === 'today' ? localDate(now, tz) : venue.roster.date
  const [h, m] = scenario.start.split(':').map(Number)
  return localMidnight(day, tz) + ((h ?? 0) * 60 + (m ?? 0)) * 60_000
}

export async function runScenario(o: RunOptions): Promise<RunResult> {
  const { venue, scenario } = o
  const speed = o.speed ?? scenario.speed
  const start_ms = scenarioStart(venue, scenario)
  const quiet = o.logger.child({ scenario: scenario.name })
  const broker = new VenueBroker({ venue, logger: quiet.child({ role: 'broker' }), dataDir: null, tcp: { host: '127.0.0.1', port: 0 } })
  const addresses = await broker.start()
  const url = `mqtt://127.0.0.1:${addresses.tcp.port}`
  const sim = new SimRunner({ venue, url, login: o.login, start_ms, speed, seed: scenario.seed, visitors: scenario.visitors, logger: quiet.child({ role: 'sim' }), deviations: scenario.deviations })
  const clock = sim.clock
  const role = (name: string): Login & { url: string; clientId: string } => ({ url, clientId: `${name}-${scenario.name}-${process.pid}`, ...o.login(name) })
  const monitor = new Monitor({ venue, ...role(principalOf(venue, 'monitor')), dbFile: ':memory:', logger: quiet.child({ role: 'monitor' }), clock })
  const fleet = new Fleet({ venue, ...role(principalOf(venue, 'fleet')), dbFile: ':memory:', logger: quiet.child({ role: 'fleet' }), clock })
  const console_ = new Bus({ ...role(principalOf(venue, 'console')) })
  const alerts = new Map<string, Alert>()
  let atEnd: Alert[] = []
  try {
    await console_.subscribe('alert', { site: venue.site.id }, (a) => void alerts.set(a.id, a))
    await console_.start()
    await monitor.start()
    await fleet.start()
    await sim.start()
    const wall_ms = (scenario.duration_s * 1000) / speed
    await new Promise((r) => setTimeout(r, wall_ms))
    await new Promise((r) => setTimeout(r, o.settle_ms ?? 1500))
    // the scenario ends here: what the shutdown itself causes (robots going offline) is not scored
    atEnd = [...alerts.values()]
  } finally {
    await sim.stop()
    await fleet.stop()
    await monitor.stop()
    await console_.stop()
    await broker.stop()
  }
  const list = atEnd
  const result = { score: score(scenario, start_ms, list), alerts: list, start_ms }
  if (o.reportDir !== undefined) {
    await mkdir(o.reportDir, { recursive: true })
    await writeFile(join(o.reportDir, 'score.json'), JSON.stringify({ ...result.score, start: new Date(start_ms).toISOString(), speed }, null, 2) + '\n')
    await writeFile(join(o.reportDir, 'alerts.json'), JSON.stringify(list, null, 2) + '\n')
  }
  return result
}

function principalOf(venue: Pick<Venue, 'principals'>, role: string): string {
  const p = venue.principals.find((x) => x.role === role)
  if (p === undefined) throw new Error(`the venue file has no principal with role "${role}"`)
  return p.name
}
