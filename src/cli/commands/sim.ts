import type { Command } from 'commander'
import { loadVenue } from '../../config/index.js'
import { demoVenueFile } from '../../shared/paths.js'
import { createLogger } from '../../shared/log.js'
import { pixelMode } from '../../sim/pixels/index.js'
import { runScenario, scenarioStart } from '../../sim/run.js'
import { parseCount } from '../options.js'
import { loadScenario } from '../../sim/scenario.js'
import type { Score } from '../../sim/score.js'
import { principalLogins } from '../connect.js'

function parseSpeed(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0 || n > 1000) throw new Error('--speed is a number of sim seconds per wall second, above 0 and at most 1000')
  return n
}

/** The score as the lines an operator reads. */
export function formatScore(s: Score): string {
  const lines = [`scenario ${s.scenario}: ${s.found}/${s.expected} expected alerts found (recall ${(s.recall * 100).toFixed(0)}%), ${s.falseAlerts.length} false alert(s)`]
  for (const [rule, p] of Object.entries(s.perRule)) {
    const delays = p.delays_s.length ? `, delay ${p.delays_s.map((d) => d.toFixed(1)).join('/')} s` : ''
    lines.push(`  ${rule}: ${p.found}/${p.expected}${delays}`)
  }
  for (const r of s.results.filter((x) => x.alertId === null)) lines.push(`  MISSED ${r.expect.rule} ${JSON.stringify(r.expect.subjects ?? [])} in ${r.expect.from_s}-${r.expect.to_s} s`)
  for (const f of s.falseAlerts) lines.push(`  FALSE ${f.rule} ${JSON.stringify(f.subjects)} in ${f.zone ?? '-'} at ${f.firstAt}: ${f.title}`)
  return lines.join('\n')
}

export function registerSim(program: Command): void {
  const sim = program.command('sim').description('the simulator: people, cameras and robots standing in for the hardware')
  sim
    .command('run')
    .argument('<file>', 'scenario file (YAML)')
    .description('run a scenario against the real roles and score the alerts (exit 1 unless every expected alert came and no other)')
    .option('--speed <n>', 'sim seconds per wall second (default: the scenario\'s)', parseSpeed)
    .option('--report <dir>', 'write score.json and alerts.json here')
    .option('--pixels <n>', 'pixel mode: N cameras (those that see the deviations first) as rendered video through RTSP and a real edge node; runs at speed 1', parseCount)
    .action(async (file: string, flags: { speed?: number; report?: string; pixels?: number }) => {
      const logger = createLogger('venue', process.env.VENUE_LOG_LEVEL ?? 'warn')
      const { scenario, venueFile } = await loadScenario(file)
      const venuePath = venueFile === 'demo' ? demoVenueFile() : venueFile
      const { venue } = await loadVenue(venuePath)
      const px = flags.pixels === undefined ? undefined : pixelMode(venue, flags.pixels, { seed: scenario.seed, start_ms: scenarioStart(venue, scenario), visitors: scenario.visitors, deviations: scenario.deviations, duration_s: scenario.duration_s })
      if (px !== undefined) console.log(`pixel mode: ${px.cameras.join(', ')} through RTSP and a real edge node, at speed 1`)
      const result = await runScenario({
        venue,
        scenario,
        login: await principalLogins(venue),
        logger,
        ...(flags.speed === undefined ? {} : { speed: flags.speed }),
        ...(px === undefined ? {} : { speed: 1, pixels: { cameras: px.cameras, venueFile: venuePath } }),
        ...(flags.report === undefined ? {} : { reportDir: flags.report }),
      })
      console.log(formatScore(result.score))
      for (const [camera, p] of Object.entries(result.pixels ?? {})) {
        const named = Object.keys(p.subjects).filter((x) => x !== 'unknown').length
        console.log(`  pixel camera ${camera}: ${p.rendered} frames rendered, ${p.analysed} analysed by the edge, ${p.sightings} sightings, ${named} subject(s) named`)
      }
      process.exitCode = result.score.recall === 1 && result.score.falseAlerts.length === 0 ? 0 : 1
    })
}
