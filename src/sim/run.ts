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
import type { MissionState } from '../contract/venue/missions.js'
import { Monitor } from '../monitor/monitor.js'
import { Fleet } from '../robots/fleet.js'
import type { Logger } from '../shared/log.js'
import { localDate, localMidnight } from '../shared/time.js'
import { writeReportPng } from './picture.js'
import { RunRecorder, type TrackLine } from './recorder.js'
import { pixelVenue, type PixelCameraStats } from './pixels/index.js'
import { ThreadedSim } from './thread.js'
import { SimRunner, type Login, type PixelModeOptions } from './runner.js'
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
  /** Frames per second of every synthetic camera, sim time (default: the cameras', at most 5). */
  cameraFps?: number
  /** Run the simulator on a worker thread (fast clocks: it then neither waits for the roles nor delays them). */
  simThread?: boolean
  /** Pixel mode for these cameras (rendered, RTSP, a real edge node); runs in real time, so speed 1. */
  pixels?: Omit<PixelModeOptions, 'preview_s'>
}

export interface RunResult {
  score: Score
  alerts: Alert[]
  start_ms: number
  /** The missions' last states and the monitor's tracks, as a console client saw them. */
  missions: MissionState[]
  tracks: TrackLine[]
  /** Tracks messages the monitor published during the run. */
  trackMessages: number
  /** Pixel mode: what each pixel camera and its edge node did. */
  pixels?: Record<string, PixelCameraStats>
}

/** The scenario's start on the roster's day, in the site's time zone. */
export function scenarioStart(venue: Pick<Venue, 'site' | 'roster'>, scenario: Pick<Scenario, 'start'>, now = Date.now()): number {
  const tz = venue.site.timezone
  const day = venue.roster.date === 'today' ? localDate(now, tz) : venue.roster.date
  const [h, m] = scenario.start.split(':').map(Number)
  return localMidnight(day, tz) + ((h ?? 0) * 60 + (m ?? 0)) * 60_000
}

export async function runScenario(o: RunOptions): Promise<RunResult> {
  const { scenario } = o
  // pixel cameras render small frames: every role gets their scaled calibration (pixels/venue.ts)
  const venue = o.pixels === undefined ? o.venue : pixelVenue(o.venue, o.pixels.cameras)
  const speed = o.speed ?? scenario.speed
  if (o.pixels !== undefined && speed !== 1) throw new Error(`pixel mode runs in real time: speed must be 1, not ${speed}`)
  const start_ms = scenarioStart(venue, scenario)
  const quiet = o.logger.child({ scenario: scenario.name })
  const broker = new VenueBroker({ venue, logger: quiet.child({ role: 'broker' }), dataDir: null, tcp: { host: '127.0.0.1', port: 0 } })
  const addresses = await broker.start()
  const url = `mqtt://127.0.0.1:${addresses.tcp.port}`
  const simOptions = { venue, url, login: o.login, start_ms, speed, seed: scenario.seed, visitors: scenario.visitors, logger: quiet.child({ role: 'sim' }), deviations: scenario.deviations, ...(o.cameraFps === undefined ? {} : { cameraFps: o.cameraFps }) }
  if (o.simThread === true && o.pixels !== undefined) throw new Error('pixel mode runs the simulator in the main thread: simThread and pixels do not go together')
  const sim = o.simThread === true ? new ThreadedSim(simOptions) : new SimRunner({ ...simOptions, ...(o.pixels === undefined ? {} : { pixels: { ...o.pixels, preview_s: scenario.duration_s } }) })
  const clock = sim.clock
  const role = (name: string): Login & { url: string; clientId: string } => ({ url, clientId: `${name}-${scenario.name}-${process.pid}`, ...o.login(name) })
  const monitor = new Monitor({ venue, ...role(principalOf(venue, 'monitor')), dbFile: ':memory:', logger: quiet.child({ role: 'monitor' }), clock })
  // the fleet looks at its robots every 2.5 sim s, whatever the speed (its default 250 wall ms is 30 sim s at x120)
  const fleet = new Fleet({ venue, ...role(principalOf(venue, 'fleet')), dbFile: ':memory:', logger: quiet.child({ role: 'fleet' }), clock, tick_ms: Math.min(250, Math.max(20, 2500 / speed)) })
  const console_ = new Bus({ ...role(principalOf(venue, 'console')) })
  const seen = new RunRecorder(venue.site.id)
  let atEnd: Alert[] = []
  let missionsAtEnd: MissionState[] = []
  let pixels: Record<string, PixelCameraStats> = {}
  try {
    await seen.attach(console_)
    await console_.start()
    await monitor.start()
    await fleet.start()
    await sim.start()
    const wall_ms = (scenario.duration_s * 1000) / speed
    await new Promise((r) => setTimeout(r, wall_ms))
    await new Promise((r) => setTimeout(r, o.settle_ms ?? 1500))
    // the scenario ends here: what the shutdown itself causes (robots going offline) is not scored
    atEnd = [...seen.alerts.values()]
    missionsAtEnd = [...seen.missions.values()]
    if (sim instanceof SimRunner) pixels = sim.pixelStats()
  } finally {
    await sim.stop()
    await fleet.stop()
    await monitor.stop()
    await console_.stop()
    await broker.stop()
  }
  const list = atEnd
  const result = { score: score(scenario, start_ms, list), alerts: list, start_ms, missions: missionsAtEnd, tracks: seen.lines(), trackMessages: seen.trackMessages, ...(o.pixels === undefined ? {} : { pixels }) }
  if (o.reportDir !== undefined) {
    await mkdir(o.reportDir, { recursive: true })
    await writeFile(join(o.reportDir, 'score.json'), JSON.stringify({ ...result.score, start: new Date(start_ms).toISOString(), speed }, null, 2) + '\n')
    await writeFile(join(o.reportDir, 'alerts.json'), JSON.stringify(list, null, 2) + '\n')
    // each alert's subjects, where the monitor had them in the half hour before it: why it fired
    const context = list.map((a) => ({ alert: a.id, rule: a.rule, firstAt: a.firstAt, subjects: Object.fromEntries(a.subjects.map((s) => [s, seen.zoneHistory(s, Date.parse(a.firstAt) - 1_800_000, Date.parse(a.firstAt))])) }))
    await writeFile(join(o.reportDir, 'alert-context.json'), JSON.stringify(context, null, 2) + '\n')
    const title = `${scenario.name}: ${result.score.found}/${result.score.expected} expected alerts, ${result.score.falseAlerts.length} false, ${result.tracks.length} tracks, ${new Date(start_ms).toISOString().slice(0, 16)}Z + ${scenario.duration_s} s`
    await writeReportPng(join(o.reportDir, 'report.png'), { venue, tracks: result.tracks, alerts: list, title })
  }
  return result
}

function principalOf(venue: Pick<Venue, 'principals'>, role: string): string {
  const p = venue.principals.find((x) => x.role === role)
  if (p === undefined) throw new Error(`the venue file has no principal with role "${role}"`)
  return p.name
}
