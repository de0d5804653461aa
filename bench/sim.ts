/**
 * `npm run bench:sim`: a 10-hour day (07:30-17:30 site time) of a venue with 300 experts in 30
 * projects, 24 cameras and 10 robots (bench/sim-venue.ts), in synthetic mode, against the real broker,
 * monitor and fleet, all in this process on the sim clock (the same path as `venue sim run`). Figures
 * only: a benchmark never asserts.
 *
 * Prints the wall time of the day (target: 5 minutes), the process's CPU, the event loop's delay,
 * what the roles did (alerts by rule, missions by kind and outcome, tracks messages) and, per run,
 * the day's sim seconds per wall second actually achieved. Knobs: BENCH_SPEED (sim s per wall s,
 * default 150), BENCH_FPS (frames per sim second of each synthetic camera, default 1), BENCH_HOURS
 * (default 10), BENCH_THREAD=0 (the simulator in the main thread, as `venue sim run`), BENCH_RUNS (default 1; medians when more), BENCH_REPORT=dir (score, alerts, picture).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { loadVenue } from '../src/config/index.js'
import { principalLogins } from '../src/cli/connect.js'
import { createLogger } from '../src/shared/log.js'
import { demoVenueFile } from '../src/shared/paths.js'
import { runScenario } from '../src/sim/run.js'
import type { Scenario } from '../src/sim/scenario.js'
import { median } from './stats.js'
import { simBenchVenue } from './sim-venue.js'

const SPEED = Number(process.env.BENCH_SPEED ?? 150)
const FPS = Number(process.env.BENCH_FPS ?? 1)
const HOURS = Number(process.env.BENCH_HOURS ?? 10)
const RUNS = Number(process.env.BENCH_RUNS ?? 1)

interface RunFigures {
  wall_s: number
  cpu_s: number
  loopP50_ms: number
  loopP99_ms: number
  loopMax_ms: number
  alerts: Record<string, number>
  missions: Record<string, number>
  trackMessages: number
  tracks: number
}

async function once(run: number): Promise<RunFigures> {
  const demo = (await loadVenue(demoVenueFile())).venue
  const venue = await simBenchVenue(demo.rules)
  const scenario: Scenario = {
    name: `bench-day-${run}`,
    description: 'bench:sim day',
    venue: 'bench',
    start: '07:30',
    duration_s: HOURS * 3600,
    seed: 100 + run,
    speed: SPEED,
    visitors: 5,
    deviations: [],
    expect: [],
  }
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const verbose = process.env.BENCH_VERBOSE
    ? setInterval(() => console.log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`), 5000)
    : undefined
  const result = await runScenario({
    venue,
    scenario,
    login: await principalLogins(venue),
    logger: createLogger('bench', process.env.VENUE_LOG_LEVEL ?? 'error'),
    cameraFps: FPS,
    simThread: process.env.BENCH_THREAD !== '0',
    settle_ms: 500,
    ...(process.env.BENCH_REPORT ? { reportDir: `${process.env.BENCH_REPORT}/run-${run}` } : {}),
  })
  const wall_s = (performance.now() - t0) / 1000
  if (verbose) clearInterval(verbose)
  const cpu = process.cpuUsage(cpu0)
  loop.disable()
  const alerts: Record<string, number> = {}
  for (const a of result.alerts) alerts[a.rule] = (alerts[a.rule] ?? 0) + 1
  const missions: Record<string, number> = {}
  for (const m of result.missions) missions[`${m.kind} ${m.state}`] = (missions[`${m.kind} ${m.state}`] ?? 0) + 1
  return {
    wall_s,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    loopP50_ms: loop.percentile(50) / 1e6,
    loopP99_ms: loop.percentile(99) / 1e6,
    loopMax_ms: loop.max / 1e6,
    alerts,
    missions,
    trackMessages: result.trackMessages,
    tracks: result.tracks.length,
  }
}

const runs: RunFigures[] = []
console.log(`bench:sim: ${HOURS} h day, 300 experts in 30 projects, 24 cameras at ${FPS} frame(s) per sim second, 10 robots; sim clock x${SPEED}; ${RUNS} run(s)`)
for (let i = 1; i <= RUNS; i++) {
  const r = await once(i)
  runs.push(r)
  console.log(`run ${i}: ${r.wall_s.toFixed(1)} s wall (${((HOURS * 3600) / r.wall_s).toFixed(0)} sim s per wall s), CPU ${r.cpu_s.toFixed(1)} s (${((100 * r.cpu_s) / r.wall_s).toFixed(0)}% of one core), event loop delay p50 ${r.loopP50_ms.toFixed(1)} ms, p99 ${r.loopP99_ms.toFixed(1)} ms, max ${r.loopMax_ms.toFixed(0)} ms`)
  console.log(`  alerts by rule: ${JSON.stringify(r.alerts)}`)
  console.log(`  missions: ${JSON.stringify(r.missions)}`)
  console.log(`  tracks messages: ${r.trackMessages}, venue-level tracks: ${r.tracks}`)
}
const wall = median(runs.map((r) => r.wall_s))
console.log(`median wall time of the day: ${wall.toFixed(1)} s (${(wall / 60).toFixed(2)} min; target <= 5 min: ${wall <= 300 ? 'met' : 'NOT met'}); median CPU ${median(runs.map((r) => r.cpu_s)).toFixed(1)} s`)
