import { pino } from 'pino'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { NullTelemetry, Telemetry, createTelemetry } from '../../src/store/telemetry.js'
import { exportSeries, startVm, stopAllVms, waitSeries } from '../helpers/victoria.js'
import { sleep } from '../helpers/mqtt.js'
import { freePort } from '../helpers/processes.js'

function captureLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) })
  return { logger, lines }
}

test.after(stopAllVms)

test('every kind of point reaches VictoriaMetrics with exact names, tags, values and timestamps', async () => {
  const vm = await startVm()
  const { logger, lines } = captureLogger()
  const t = new Telemetry({ url: vm.url, org: 'venue', bucket: 'telemetry', token: 'unused-by-vm', flushInterval_ms: 60_000, logger })
  await t.start()
  const base = Math.floor(Date.now() / 1000) * 1000 - 30_000
  const at = (s: number) => new Date(base + s * 1000)
  t.occupancy('hall A', 3, at(0))
  t.occupancy('hall A', 4, at(1))
  t.occupancy('room,1=x', 0, at(0)) // tag value needing line-protocol escapes
  t.cameraFps('cam-1', 12.5, at(0))
  t.robotBattery('r2', 87.25, at(0))
  t.alertCount('critical', 2, at(0))
  t.alertCount('warning', 5, at(0))
  t.point('door', { door: 'north', floor: '2' }, { open: true, temp_c: 21.5, note: 'text' }, at(2))
  t.cameraFps('cam-bad', Number.NaN, at(0)) // no usable field: dropped, not thrown
  await t.flush()
  assert.equal(t.stats(), { written: 8, failedAttempts: 0, dropped: 1 })

  const occ = await waitSeries(vm, '{__name__=~"occupancy.*"}', 2)
  assert.equal(occ, [
    { metric: { __name__: 'occupancy_count', zone: 'hall A' }, values: [3, 4], timestamps: [base, base + 1000] },
    { metric: { __name__: 'occupancy_count', zone: 'room,1=x' }, values: [0], timestamps: [base] },
  ])
  assert.equal(await waitSeries(vm, '{__name__="camera_fps"}', 1), [{ metric: { __name__: 'camera_fps', camera: 'cam-1' }, values: [12.5], timestamps: [base] }])
  assert.equal(await waitSeries(vm, '{__name__="robot_battery_pct"}', 1), [{ metric: { __name__: 'robot_battery_pct', robot: 'r2' }, values: [87.25], timestamps: [base] }])
  assert.equal(await waitSeries(vm, '{__name__="alerts_count"}', 2), [
    { metric: { __name__: 'alerts_count', severity: 'critical' }, values: [2], timestamps: [base] },
    { metric: { __name__: 'alerts_count', severity: 'warning' }, values: [5], timestamps: [base] },
  ])
  // Generic point: booleans become 1/0, floats stay; VictoriaMetrics keeps a string field as a series with value 0.
  assert.equal(await waitSeries(vm, '{__name__=~"door_.*"}', 3), [
    { metric: { __name__: 'door_note', door: 'north', floor: '2' }, values: [0], timestamps: [base + 2000] },
    { metric: { __name__: 'door_open', door: 'north', floor: '2' }, values: [1], timestamps: [base + 2000] },
    { metric: { __name__: 'door_temp_c', door: 'north', floor: '2' }, values: [21.5], timestamps: [base + 2000] },
  ])
  // org/bucket are not turned into labels (no `db` label on /api/v2/write), and only those series exist.
  const all = await exportSeries(vm, '{__name__=~".+"}')
  assert.equal(all.map((s) => s.metric.__name__).sort(), ['alerts_count', 'alerts_count', 'camera_fps', 'door_note', 'door_open', 'door_temp_c', 'occupancy_count', 'occupancy_count', 'robot_battery_pct'])
  assert.ok(all.every((s) => !('db' in s.metric) && !('bucket' in s.metric)))

  // stop() sends what is still buffered (flush interval is 60 s here), then closes.
  t.occupancy('hall B', 7, at(3))
  await t.stop()
  assert.equal(await waitSeries(vm, '{__name__="occupancy_count",zone="hall B"}', 1), [{ metric: { __name__: 'occupancy_count', zone: 'hall B' }, values: [7], timestamps: [base + 3000] }])
  // After stop: ignored, counted, never thrown.
  t.occupancy('hall B', 8)
  assert.equal(t.stats(), { written: 9, failedAttempts: 0, dropped: 2 })
  assert.ok(!lines.some((l) => (l.level as number) >= 40 && String(l.msg).includes('write failed')), JSON.stringify(lines))
})

test('server down at start: no throw, failure logged with reason, points retried and delivered once it starts', async () => {
  const port = await freePort()
  const { logger, lines } = captureLogger()
  const t = new Telemetry({ url: `http://127.0.0.1:${port}`, org: 'venue', bucket: 'telemetry', flushInterval_ms: 100, maxBufferLines: 100, minRetryDelay_ms: 200, maxRetryDelay_ms: 800, maxRetries: 20, logger })
  await t.start()
  const base = Math.floor(Date.now() / 1000) * 1000 - 10_000
  t.occupancy('lobby', 11, new Date(base))
  t.robotBattery('r7', 42, new Date(base))
  await t.flush() // fails (connection refused): logged, not thrown
  assert.ok(t.stats().failedAttempts >= 1)
  const warn = lines.find((l) => l.msg === 'telemetry write failed; will retry')
  assert.ok(warn, JSON.stringify(lines))
  assert.match(String(warn?.reason), /ECONNREFUSED/)
  assert.is(warn?.lines, 2)

  await sleep(500) // a retry or two against the dead port
  const vm = await startVm(port)
  const occ = await waitSeries(vm, '{__name__=~"occupancy.*"}', 1, 10_000)
  assert.equal(occ, [{ metric: { __name__: 'occupancy_count', zone: 'lobby' }, values: [11], timestamps: [base] }])
  assert.equal(await waitSeries(vm, '{__name__="robot_battery_pct"}', 1), [{ metric: { __name__: 'robot_battery_pct', robot: 'r7' }, values: [42], timestamps: [base] }])
  const s = t.stats()
  assert.is(s.written, 2)
  assert.is(s.dropped, 0)
  await t.stop()
})

test('server never reachable: stop() does not throw and reports the lines it had to drop', async () => {
  const port = await freePort()
  const { logger, lines } = captureLogger()
  const t = new Telemetry({ url: `http://127.0.0.1:${port}`, org: 'venue', bucket: 'telemetry', flushInterval_ms: 60_000, minRetryDelay_ms: 60_000, logger })
  t.occupancy('early', 1) // before start(): dropped, not thrown
  await t.start()
  t.occupancy('x', 1)
  t.cameraFps('c', 10)
  t.alertCount('info', 0)
  await t.stop()
  assert.equal(t.stats(), { written: 0, failedAttempts: 1, dropped: 4 })
  const dropped = lines.find((l) => l.msg === 'telemetry stopped with unsent lines; dropped')
  assert.is(dropped?.lines, 3)
})

test('NullTelemetry / createTelemetry: same interface, no I/O when no URL is configured', async () => {
  const n = createTelemetry({ url: undefined })
  assert.instance(n, NullTelemetry)
  await n.start()
  n.occupancy('z', 1)
  n.cameraFps('c', 1)
  n.robotBattery('r', 1)
  n.alertCount('info', 1)
  n.point('m', {}, { v: 1 })
  await n.flush()
  await n.stop()
  assert.equal(n.stats(), { written: 0, failedAttempts: 0, dropped: 0 })
  assert.instance(createTelemetry({ url: 'http://127.0.0.1:1' }), Telemetry)
})

test.run()
