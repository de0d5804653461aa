/**
 * Every shipped scenario against the real roles (broker, monitor, fleet) with the simulator standing
 * in for people, cameras and robots: every expected alert comes, in its window.
 *
 * Not asserted yet (issue 7 is open): "and no other". The runs still raise false alerts of three kinds,
 * listed in the closing note: patrol robots reported stuck, identity conflicts between the two cameras
 * of the evaluation corridor, and contacts that follow from a deviation (an expert in another project's
 * room is near its experts). The test prints them.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadVenue } from '../../src/config/index.js'
import { principalLogins } from '../../src/cli/connect.js'
import { formatScore } from '../../src/cli/commands/sim.js'
import { silentLogger } from '../../src/shared/log.js'
import { runScenario } from '../../src/sim/run.js'
import { loadScenario } from '../../src/sim/scenario.js'
import { fromRoot } from '../helpers/paths.js'

const dir = fromRoot('src/sim/scenarios')
const { venue } = await loadVenue(fromRoot('config/venues/demo.yaml'))
const login = await principalLogins(venue)

for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  test(`scenario ${name}: every expected alert, in its window`, async () => {
    const { scenario, venueFile } = await loadScenario(join(dir, name))
    assert.is(venueFile, 'demo')
    const { score } = await runScenario({ venue, scenario, login, logger: silentLogger(), speed: 20 })
    assert.is(score.recall, 1, formatScore(score))
    if (score.falseAlerts.length > 0) console.log(formatScore(score))
  })
}

test.run()
