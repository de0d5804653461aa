/** `venue monitor` as an operator runs it: its own process, next to `venue broker`, on the demo venue. */
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Bus } from '../../src/contract/bus.js'
import { stamp } from '../../src/contract/envelope.js'
import type { Alert } from '../../src/contract/venue/alerts.js'
import { sleep, tempDir } from '../helpers/mqtt.js'
import { fromRoot, venueBin } from '../helpers/paths.js'
import { freePort, run, startProcess, waitForPort, type Proc } from '../helpers/processes.js'

const demo = fromRoot('config/venues/demo.yaml')
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, VENUE_LOG_PRETTY: '0', VENUE_MONITOR_SECRET: '', ...extra })

test('without a secret it names the variable to set and exits 1', async () => {
  const r = await run(process.execPath, [venueBin, 'monitor', '-c', demo], { env: env(), timeout_ms: 20_000 })
  assert.is(r.code, 1, r.stdout + r.stderr)
  assert.match(r.stderr, 'no MQTT secret: set VENUE_MONITOR_SECRET or give --secret-file')
})

test('an unknown person in an evaluation room: alert, acknowledged; where / who answer from the store; audit chain verifies', async () => {
  const dir = await tempDir()
  const port = await freePort()
  const url = `mqtt://127.0.0.1:${port}`
  const db = join(dir.path, 'store.sqlite')
  const procs: Proc[] = []
  const buses: Bus[] = []
  try {
    procs.push(startProcess(process.execPath, [venueBin, 'broker', '-c', demo, '--port', String(port), '--memory'], { env: env() }))
    await waitForPort(port)
    const monitor = startProcess(process.execPath, [venueBin, 'monitor', '-c', demo, '--broker-url', url, '--db', db], { env: env({ VENUE_MONITOR_SECRET: 'dev-monitor' }) })
    procs.push(monitor)
    for (let i = 0; i < 200 && !monitor.output().includes('"msg":"monitor running"'); i++) await sleep(50)
    assert.match(monitor.output(), '"msg":"monitor running"')

    const edge = new Bus({ url, username: 'edge-1', password: 'dev-edge-1', clientId: 'test-edge-1' })
    const console_ = new Bus({ url, username: 'console', password: 'dev-console', clientId: 'test-console' })
    buses.push(edge, console_)
    await edge.start()
    await console_.start()
    const alerts: Alert[] = []
    await console_.subscribe('alert', { site: 'demo' }, (a) => alerts.push(a))

    // cam-04 looks into room-1 (x 10-18, y 17-26); the demo's rule wants 2 s there
    for (let i = 0; i < 20 && alerts.length === 0; i++) {
      const now = new Date()
      await edge.publish('cameraSightings', { site: 'demo', camera: 'cam-04' }, {
        ...stamp(now),
        camera: 'cam-04',
        frameId: i,
        capturedAt: now.toISOString(),
        width_px: 1920,
        height_px: 1080,
        tracks: [{ trackId: 'x1', box: [900, 400, 980, 500], floor: [14, 21], subject: 'unknown', score: 0.1, liveness: 0.9, quality: 0.8 }],
      })
      await sleep(200)
    }
    for (let i = 0; i < 50 && alerts.length === 0; i++) await sleep(100)
    const a = alerts[0]
    assert.ok(a, `no alert; monitor said:\n${monitor.output()}`)
    assert.is(a.rule, 'unknown-in-restricted')
    assert.is(a.zone, 'room-1')
    assert.equal(a.subjects, ['unknown'])
    assert.match(monitor.output(), '"msg":"Unknown person in room-1 for 2 s"')

    await console_.publish('alertAction', { site: 'demo' }, { ...stamp(), alertId: a.id, action: 'acknowledge', by: 'operator-1', note: '' })
    for (let i = 0; i < 50 && !alerts.some((x) => x.state === 'acknowledged'); i++) await sleep(100)
    assert.ok(alerts.some((x) => x.id === a.id && x.state === 'acknowledged' && x.acknowledged?.by === 'operator-1'))

    await monitor.stop()
    assert.is(monitor.child.exitCode, 0, monitor.output())
    const window = ['--db', db, '--from', new Date(Date.now() - 600_000).toISOString(), '--to', new Date().toISOString()]
    const who = await run(process.execPath, [venueBin, 'who', 'room-1', ...window, '--reason', 'test'], { env: env(), timeout_ms: 20_000 })
    assert.is(who.code, 0, who.stderr)
    const people = who.stdout.trim().split('\n').map((l) => JSON.parse(l) as { subject: string; points: number })
    assert.is(people.length, 1, who.stdout)
    const track = people[0]!.subject
    assert.match(track, /^t-\d+$/, 'an unknown person is kept under their track id')
    const where = await run(process.execPath, [venueBin, 'where', track, ...window], { env: env(), timeout_ms: 20_000 })
    const points = where.stdout.trim().split('\n').map((l) => JSON.parse(l) as { zone: string; x: number; y: number })
    assert.ok(points.length >= 1 && points.every((p) => p.zone === 'room-1' && p.x === 14 && p.y === 21), where.stdout)
    const bad = await run(process.execPath, [venueBin, 'where', track, '--db', db, '--from', 'yesterday', '--to', 'now'], { env: env(), timeout_ms: 20_000 })
    assert.is(bad.code, 1)
    assert.match(bad.stderr, '--from yesterday: not a date-time')

    const verify = await run(process.execPath, [venueBin, 'audit', 'verify', '--db', db], { env: env(), timeout_ms: 20_000 })
    assert.is(verify.code, 0, verify.stdout + verify.stderr)
    assert.match(verify.stdout, '3 entries, chain intact', 'the acknowledgement and both queries')
  } finally {
    for (const b of buses) await b.stop()
    for (const p of procs.reverse()) await p.stop()
    await dir.remove()
  }
})

test.run()
