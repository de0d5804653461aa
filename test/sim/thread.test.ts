/**
 * The simulator on its own worker thread (bench:sim's set-up) against the real roles: the wrong-room
 * scenario scores as it does with the simulator in the main thread.
 */
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

test('wrong-room with the simulator on a worker thread: 100% recall, no false alert, robots on missions', async () => {
  const { venue } = await loadVenue(fromRoot('config/venues/demo.yaml'))
  const { scenario } = await loadScenario(join(fromRoot('src/sim/scenarios'), 'wrong-room.yaml'))
  const result = await runScenario({ venue, scenario, login: await principalLogins(venue), logger: silentLogger(), speed: 20, simThread: true })
  assert.is(result.score.recall, 1, formatScore(result.score))
  assert.equal(result.score.falseAlerts, [], formatScore(result.score))
  // the vehicles live in the worker: the fleet still drove them
  assert.ok(result.missions.some((m) => m.kind === 'guard' && m.state === 'running'), JSON.stringify(result.missions.map((m) => [m.kind, m.state])))
  assert.ok(result.tracks.length > 0, 'the monitor tracked the worker\'s camera sightings')
})

test.run()
