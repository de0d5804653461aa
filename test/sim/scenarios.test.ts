/**
 * Every shipped scenario against the real roles (broker, monitor, fleet) with the simulator standing
 * in for people, cameras and robots: every expected alert comes, in its window, and no other (alerts a
 * deviation may cause are listed in the scenario as optional). The normal day opens no alert at all.
 */
import { readdirSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadVenue } from '../../src/config/index.js'
import { principalLogins } from '../../src/cli/connect.js'
import { formatScore } from '../../src/cli/commands/sim.js'
import { silentLogger } from '../../src/shared/log.js'
import { reportSvg } from '../../src/sim/picture.js'
import { runScenario } from '../../src/sim/run.js'
import { loadScenario } from '../../src/sim/scenario.js'
import { fromRoot } from '../helpers/paths.js'

const dir = fromRoot('src/sim/scenarios')
const { venue } = await loadVenue(fromRoot('config/venues/demo.yaml'))
const login = await principalLogins(venue)

for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  test(`scenario ${name}: 100% recall, no false alert`, async () => {
    const { scenario, venueFile } = await loadScenario(join(dir, name))
    assert.is(venueFile, 'demo')
    // one scenario also writes its report: the score, the alerts and the picture
    const report = name === 'wrong-room.yaml' ? await mkdtemp(join(tmpdir(), 'venue-report-')) : undefined
    const result = await runScenario({ venue, scenario, login, logger: silentLogger(), speed: 20, ...(report === undefined ? {} : { reportDir: report }) })
    const { score } = result
    assert.is(score.recall, 1, formatScore(score))
    assert.equal(score.falseAlerts, [], formatScore(score))
    if (name === 'normal-day.yaml') assert.equal(result.alerts, [], 'the normal day opens no alert at all')
    if (name === 'lunch.yaml') {
      // the simulated people press the robots' buttons: every room's meal is handed over
      const lunch = result.missions.filter((m) => m.kind === 'delivery')
      assert.is(lunch.length, 1, JSON.stringify(result.missions))
      assert.is(lunch[0]!.state, 'completed', `${lunch[0]!.state}: ${lunch[0]!.step}`)
      assert.equal(result.alerts, [], 'lunch opens no alert')
    }
    if (report !== undefined) {
      const written = JSON.parse(await readFile(join(report, 'score.json'), 'utf8')) as { recall?: unknown }
      assert.is(written.recall, 1)
      assert.is((JSON.parse(await readFile(join(report, 'alerts.json'), 'utf8')) as unknown[]).length, result.alerts.length)
      // the picture: the floor at its scale, with a legend row per alert under it
      const png = await sharp(join(report, 'report.png')).metadata()
      assert.is(png.format, 'png')
      assert.ok((png.width ?? 0) > 1000 && (png.height ?? 0) > 500, `${png.width}x${png.height}`)
      const svg = reportSvg({ venue, tracks: result.tracks, alerts: result.alerts, title: 't' })
      assert.ok(result.tracks.some((t) => t.points.length > 10), 'trajectories recorded')
      assert.is(svg.match(/<polyline /g)?.length, result.tracks.filter((t) => t.points.length >= 2).length)
      assert.ok(svg.includes('wrong-room'), 'the wrong-room alert is in the legend')
      await rm(report, { recursive: true, force: true })
    }
  })
}

test.run()
