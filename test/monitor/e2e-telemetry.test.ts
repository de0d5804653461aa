/** The monitor's telemetry, written through the InfluxDB client into a real VictoriaMetrics. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startVm, stopAllVms, waitSeries } from '../helpers/victoria.js'
import { Rig } from './rig.js'
import { X } from './rig-venue.js'

test.after(stopAllVms)

test('occupancy per zone, camera fps, robot battery and open alerts by severity arrive', async () => {
  const vm = await startVm()
  const r = await Rig.withRules([{ id: 'uir', kind: 'unknown_in_restricted', severity: 'high', dwell_s: 0 }], {
    venue: { monitor: { telemetry: { url: vm.url, interval_s: 1 } } },
  })
  try {
    const since = new Date(r.now()).toISOString()
    await r.cameraStatus({ camera: 'cam-c', node: 'edge-2', state: 'online', since, fps: 7.5, lastFrameAt: since })
    await r.robotStatus({ robot: 'r1', battery_pct: 55 })
    await r.hold('cam-c', [{ trackId: 'u1', floor: [X.vault, 5] }, { trackId: 'u2', floor: [X.vault + 1, 5] }], 1500)
    await r.waitFor((a) => a.rule === 'uir')
    const last = (series: { values: number[] }[]) => series.map((s) => s.values.at(-1))
    const vault = await waitSeries(vm, '{__name__="occupancy_count",zone="vault"}', 1)
    assert.ok(vault.length === 1 && (vault[0]!.values.includes(2)), JSON.stringify(vault))
    assert.equal(last(await waitSeries(vm, '{__name__="occupancy_count",zone="exit"}', 1)), [0])
    assert.equal(last(await waitSeries(vm, '{__name__="camera_fps",camera="cam-c"}', 1)), [7.5])
    assert.equal(last(await waitSeries(vm, '{__name__="robot_battery_pct",robot="r1"}', 1)), [55])
    const high = await waitSeries(vm, '{__name__="alerts_count",severity="high"}', 1)
    assert.ok(high[0]?.values.includes(1), JSON.stringify(high))
  } finally {
    await r.stop()
  }
})

test.run()
