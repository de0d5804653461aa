/**
 * The alert lifecycle end to end, through a real broker into a running monitor: deduplication,
 * escalation, acknowledge / resolve with the audit log, evidence and dispatch, and restarts of the
 * monitor and of the broker with open alerts.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import sharp from 'sharp'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Bus } from '../../src/contract/bus.js'
import { stamp } from '../../src/contract/envelope.js'
import { AuditLog, EvidenceStore, openDatabase, TrajectoryStore } from '../../src/store/index.js'
import { connectAs, sleep, startBroker, tempDir } from '../helpers/mqtt.js'
import { password, SITE } from '../helpers/venue.js'
import { Rig } from './rig.js'
import { X, type RuleInput } from './rig-venue.js'

const vault = (dx = 0): [number, number] => [X.vault + dx, 5]
const uir = (extra: Partial<Extract<RuleInput, { kind: 'unknown_in_restricted' }>> = {}): RuleInput => ({ id: 'uir', kind: 'unknown_in_restricted', severity: 'medium', dwell_s: 0, ...extra })
/** Tracks end 0.5 s after their last sighting, so a test can make "the same situation" happen again. */
const quickLoss = { monitor: { lost_s: 0.5 } }

async function retainedAlerts(url: string): Promise<string[]> {
  const c = await connectAs(url, 'console')
  const ids: string[] = []
  c.on('message', (topic, payload) => {
    if (payload.length > 0) ids.push(topic.split('/').at(-1) ?? '')
  })
  await c.subscribeAsync(`venue/v1/${SITE}/alerts/+`, { qos: 1 })
  await sleep(300)
  await c.endAsync()
  return ids
}

test('deduplication: the same situation three times updates one alert', async () => {
  const dir = await tempDir()
  const r = await Rig.withRules([uir()], { venue: quickLoss, dbFile: join(dir.path, 'store.sqlite') })
  try {
    for (const [i, track] of ['u1', 'u2', 'u3'].entries()) {
      await r.hold('cam-c', [{ trackId: track, floor: vault(i * 0.3) }], 300)
      await r.waitFor((a) => a.count === i + 1, 3000, `alert with count ${i + 1}`)
      await sleep(900) // the track ends
    }
    const all = r.distinct()
    assert.is(all.length, 1)
    assert.is(all[0]!.count, 3)
    assert.is(all[0]!.state, 'open')
    assert.ok(Date.parse(all[0]!.lastAt) > Date.parse(all[0]!.firstAt))
  } finally {
    await r.stop()
    await dir.remove()
  }
})

test('escalation: unacknowledged past escalateAfter_s goes up one level, once; an acknowledged alert does not', async () => {
  const rule = uir({ response: { notify: true, dispatch: 'none', escalateAfter_s: 1 } })
  const r = await Rig.withRules([rule])
  try {
    await r.see('cam-c', [{ trackId: 'u1', floor: vault() }])
    await r.see('cam-b', [{ trackId: 'u2', floor: [X['room-1'], 5] }])
    const inVault = await r.waitFor((a) => a.zone === 'vault')
    const inRoom = await r.waitFor((a) => a.zone === 'room-1')
    await r.act(inRoom.id, 'acknowledge', 'alice')
    const escalated = await r.waitFor((a) => a.id === inVault.id && a.escalated, 4000, 'escalated alert')
    assert.is(inVault.severity, 'medium')
    assert.is(escalated.severity, 'high')
    await sleep(1200)
    const room = r.distinct().find((a) => a.id === inRoom.id)!
    assert.is(room.state, 'acknowledged')
    assert.is(room.escalated, false)
    assert.is(room.severity, 'medium')
    assert.is(r.alerts.filter((a) => a.id === inVault.id && a.escalated).length, 1, 'escalated once')
  } finally {
    await r.stop()
  }
})

test('acknowledge then resolve: who and when, audit entries, retained copy cleared; the situation again opens a new alert', async () => {
  const dir = await tempDir()
  const dbFile = join(dir.path, 'store.sqlite')
  const r = await Rig.withRules([uir()], { venue: quickLoss, dbFile })
  try {
    await r.hold('cam-c', [{ trackId: 'u1', floor: vault() }], 200)
    const opened = await r.waitFor((a) => a.state === 'open')
    assert.equal(await retainedAlerts(r.broker.tcpUrl), [opened.id])

    await r.act(opened.id, 'acknowledge', 'alice')
    const acked = await r.waitFor((a) => a.state === 'acknowledged')
    assert.is(acked.acknowledged?.by, 'alice')
    await r.act(opened.id, 'acknowledge', 'bob') // a repeat changes nothing
    await r.act('al-nope', 'resolve', 'bob', 'no such alert') // refused, logged, nothing else happens
    await r.act(opened.id, 'resolve', 'bob', 'visitor escorted out')
    const resolved = await r.waitFor((a) => a.state === 'resolved')
    assert.is(resolved.acknowledged?.by, 'alice')
    assert.is(resolved.resolved?.by, 'bob')
    assert.is(resolved.resolved?.note, 'visitor escorted out')
    assert.equal(await retainedAlerts(r.broker.tcpUrl), [], 'no retained copy once resolved')

    await sleep(800)
    await r.hold('cam-c', [{ trackId: 'u9', floor: vault() }], 200)
    const again = await r.waitFor((a) => a.state === 'open' && a.id !== opened.id)
    assert.is(again.count, 1)

    const db = openDatabase(dbFile)
    try {
      const audit = new AuditLog(db)
      assert.equal(audit.verify(), { ok: true, entries: 2 })
      const rows = db.prepare<[], { actor: string; action: string; subject: string; reason: string | null }>('SELECT actor, action, subject, reason FROM audit_log ORDER BY seq').all()
      assert.equal(rows, [
        { actor: 'alice', action: 'alert.acknowledge', subject: opened.id, reason: null },
        { actor: 'bob', action: 'alert.resolve', subject: opened.id, reason: 'visitor escorted out' },
      ])
    } finally {
      db.close()
    }
  } finally {
    await r.stop()
    await dir.remove()
  }
})

test('evidence and dispatch: snapshot from the edge stored with its hash, trajectory segment, a verify mission requested', async () => {
  const dir = await tempDir()
  const dbFile = join(dir.path, 'store.sqlite')
  const rule: RuleInput = { id: 'wr', kind: 'wrong_room', severity: 'high', grace_s: 0.3, response: { notify: true, dispatch: 'verify', escalateAfter_s: 0 } }
  const r = await Rig.withRules([rule], { dbFile })
  const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 90, g: 120, b: 60 } } }).jpeg().toBuffer()
  const edge = new Bus({ url: r.broker.tcpUrl, username: 'edge-1', password: password('edge-1'), clientId: 'edge-1-snapshots' })
  try {
    await edge.start()
    await edge.subscribe('snapshotRequest', { site: SITE, camera: 'cam-b' }, (req) => {
      void edge.publish('snapshot', { site: SITE, camera: 'cam-b' }, {
        ...stamp(),
        requestId: req.requestId,
        snapshot: req.snapshot ?? 'cam-b:latest',
        camera: 'cam-b',
        capturedAt: new Date(r.now()).toISOString(),
        width_px: 32,
        height_px: 24,
        jpeg: jpeg.toString('base64'),
      })
    })
    const expert = (x: number) => [{ trackId: 'e1', subject: 'sub-aaaa1111', floor: [x, 5] as [number, number] }]
    await r.hold('cam-b', expert(X['room-1']), 300)
    await r.see('cam-b', expert(X['room-2']), 'cam-b:4242')
    await r.hold('cam-b', expert(X['room-2']), 600)
    const a = await r.waitFor((x) => x.evidence.some((e) => e.kind === 'snapshot'), 5000, 'alert with a snapshot')
    assert.ok(a.evidence.some((e) => e.kind === 'snapshot' && e.ref === 'cam-b:4242'), JSON.stringify(a.evidence))
    assert.ok(a.evidence.some((e) => e.kind === 'trajectory' && e.ref.startsWith('trajectory:sub-aaaa1111:')), JSON.stringify(a.evidence))
    const mission = r.missions.find((m) => m.action === 'start' && m.alertId === a.id)
    assert.ok(mission, 'a mission request for the alert')
    assert.is(mission.action === 'start' && mission.kind, 'verify')
    assert.equal(mission.action === 'start' && mission.nodes, ['n1'])

    await r.stopMonitor()
    const db = openDatabase(dbFile)
    try {
      const [ev] = new EvidenceStore(db).forAlert(a.id)
      assert.ok(ev)
      assert.is(ev.sha256, createHash('sha256').update(jpeg).digest('hex'))
      assert.ok(ev.jpeg.equals(jpeg))
      const entry = db.prepare<[], { detail: string }>("SELECT detail FROM audit_log WHERE action = 'evidence.snapshot'").get()
      assert.match(entry?.detail ?? '', ev.sha256)
      const path = new TrajectoryStore(db, { flushInterval_ms: 0 }).where('sub-aaaa1111', 0, r.now() + 1000)
      assert.equal([...new Set(path.map((p) => p.zone))], ['room-1', 'room-2'])
    } finally {
      db.close()
    }
    await r.startMonitor(dbFile)
  } finally {
    await edge.stop()
    await r.stop()
    await dir.remove()
  }
})

test('monitor restart: open alerts come back retained, an action sent meanwhile is applied, dedup still holds', async () => {
  const dir = await tempDir()
  const dbFile = join(dir.path, 'store.sqlite')
  const r = await Rig.withRules([uir()], { venue: quickLoss, dbFile })
  const admin = await connectAs(r.broker.tcpUrl, 'admin')
  try {
    await r.hold('cam-c', [{ trackId: 'u1', floor: vault() }], 200)
    const opened = await r.waitFor((a) => a.state === 'open')
    await r.stopMonitor()
    // the broker forgets the retained copy (as one restarted without persistence would)
    await admin.publishAsync(`venue/v1/${SITE}/alerts/${opened.id}`, Buffer.alloc(0), { qos: 1, retain: true })
    assert.equal(await retainedAlerts(r.broker.tcpUrl), [])
    await r.act(opened.id, 'acknowledge', 'carol') // queued in the monitor's persistent session
    await r.startMonitor(dbFile)
    const acked = await r.waitFor((a) => a.id === opened.id && a.state === 'acknowledged', 5000, 'the queued acknowledgement')
    assert.is(acked.acknowledged?.by, 'carol')
    assert.equal(await retainedAlerts(r.broker.tcpUrl), [opened.id])
    await r.hold('cam-c', [{ trackId: 'u2', floor: vault() }], 200)
    const same = await r.waitFor((a) => a.id === opened.id && a.count === 2, 3000, 'the same alert, count 2')
    assert.is(same.state, 'acknowledged')
    assert.is(r.distinct().length, 1)
  } finally {
    await admin.endAsync()
    await r.stop()
    await dir.remove()
  }
})

test('broker restart without persistence: the monitor publishes its open alerts again on reconnect', async () => {
  const r = await Rig.withRules([uir()])
  let second: Awaited<ReturnType<typeof startBroker>> | undefined
  try {
    await r.hold('cam-c', [{ trackId: 'u1', floor: vault() }], 200)
    const opened = await r.waitFor((a) => a.state === 'open')
    const port = r.broker.addresses.tcp.port
    await r.broker.broker.stop()
    second = await startBroker(r.venue, { port })
    let ids: string[] = []
    for (let i = 0; i < 40 && ids.length === 0; i++) {
      await sleep(250)
      ids = await retainedAlerts(second.tcpUrl)
    }
    assert.equal(ids, [opened.id])
  } finally {
    await r.stop()
    await second?.broker.stop()
  }
})

test.run()
