/** From a robot dying to the alert staff see: vehicle -> fleet (fault on the robot's status) -> monitor (robot_fault rule). */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Bus } from '../../src/contract/bus.js'
import type { Alert } from '../../src/contract/venue/alerts.js'
import { Monitor } from '../../src/monitor/monitor.js'
import { silentLogger } from '../../src/shared/log.js'
import { sleep } from '../helpers/mqtt.js'
import { password, SITE } from '../helpers/venue.js'
import { fleetVenue } from './fixtures.js'
import { FleetRig } from './rig.js'

test('a patrol robot whose connection breaks mid-round: one alert for the broken connection, one for the failed mission, both naming it', async () => {
  const venue = await fleetVenue({
    robots: [{ id: 'r1', kind: 'patrol', dockNode: 'n-dock-1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' } }],
    rules: [{ id: 'robot-fault', kind: 'robot_fault', severity: 'high' }],
  })
  const rig = await FleetRig.start(venue, [{ robot: 'r1', startNode: 'n-dock-1', speed: 1 }])
  const monitor = new Monitor({ venue, url: rig.broker.tcpUrl, username: 'monitor', password: password('monitor'), dbFile: ':memory:', logger: silentLogger() })
  const console_ = new Bus({ url: rig.broker.tcpUrl, username: 'console', password: password('console'), clientId: 'console-fault-alert' })
  const alerts: Alert[] = []
  try {
    await monitor.start()
    await console_.subscribe('alert', { site: SITE }, (a) => alerts.push(a))
    await console_.start()
    const rq = await rig.request({ kind: 'patrol', nodes: ['n-c4', 'n-c1'], loop: true })
    await rig.waitMission(rq, (m) => m.state === 'running')
    await sleep(300)
    assert.equal(alerts, [], 'a healthy robot raises nothing')
    rig.vehicle('r1').kill()
    for (let i = 0; i < 100 && !alerts.some((a) => a.rule === 'robot-fault'); i++) await sleep(50)
    await sleep(300)
    const latest = new Map(alerts.filter((a) => a.rule === 'robot-fault').map((a) => [a.id, a]))
    // titles read "Robot r1: disconnected (...)" and "Robot r1: mission failed (...)"
    const titles = [...latest.values()].map((a) => a.title.split(':')[1]?.trim().split(' ')[0]).sort()
    assert.equal(titles, ['disconnected', 'mission'], [...latest.values()].map((a) => a.title).join(' | '))
    for (const a of latest.values()) {
      assert.equal(a.robots, ['r1'])
      assert.is(a.kind, 'robot_fault')
      assert.is(a.state, 'open')
    }
  } finally {
    await console_.stop()
    await monitor.stop()
    await rig.stop()
  }
})

test.run()
