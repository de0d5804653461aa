/**
 * Every shipped scenario against the real roles (broker, monitor, fleet) with the simulator standing
 * in for people, cameras and robots: every expected alert comes, in its window, and no other (alerts a
 * deviation may cause are listed in the scenario as optional). The normal day opens no alert at all.
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
  test(`scenario ${name}: 100% recall, no false alert`, async () => {
    const { scenario, venueFile } = await loadScenario(join(dir, name))
    assert.is(venueFile, 'demo')
    const result = await runScenario({ venue, scenario, login, logger: silentLogger(), speed: 20 })
    const { score } = result
    assert.is(score.recall, 1, formatScore(score))
    assert.equal(score.falseAlerts, [], formatScore(score))
    if (name === 'normal-day.yaml') assert.equal(result.alerts, [], 'the normal day opens no alert at all')
  })
}

test.run()
