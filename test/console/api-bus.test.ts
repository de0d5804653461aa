import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { MqttClient } from 'mqtt'
import { decodePayload, encodePayload, stamp, topicOf, type Alert, type Tracks } from '../../src/contract/index.js'
import { AlertStore, EvidenceStore, openDatabase, TrajectoryStore } from '../../src/store/index.js'
import { collect, connectAs, sleep } from '../helpers/mqtt.js'
import { SITE } from '../helpers/venue.js'
import { inbox, sampleAlert, startConsoleRig, upgradeStatus, type ConsoleRig } from './rig.js'

/** The console between the page and the bus: commands out, live updates in, the store read. */
const t = suite('console API: bus and live feed')
let rig: ConsoleRig
let monitor: MqttClient

const tracks = (): Tracks => ({
  ...stamp(),
  tracks: [{ id: 't1', subject: 'sub-aaaa1111', category: 'expert', project: 'p1', zone: 'room-1', floor: [12, 5], cameras: ['cam-b'], lastSeenAt: new Date().toISOString() }],
})

/** Poll an API path until `ok(body)`; bounded so a failure is a message, not a hang. */
async function until<T>(path: string, cookie: string, ok: (body: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const body = (await (await rig.api(path, { cookie })).json()) as T
    if (ok(body)) return body
    await sleep(50)
  }
  throw new Error(`${path} never matched`)
}

t.before(async () => {
  rig = await startConsoleRig()
  monitor = await connectAs(rig.broker.tcpUrl, 'monitor')
  // alerts the monitor stored, with one evidence snapshot, as the monitor role would leave them
  const db = openDatabase(rig.dbFile)
  new AlertStore(db).upsert(sampleAlert('a-stored', { state: 'resolved', resolved: { by: 'operator', at: new Date().toISOString(), note: 'done' }, evidence: [{ kind: 'trajectory', ref: 'traj' }, { kind: 'snapshot', ref: 'snap-1' }] }))
  new EvidenceStore(db).add({ alertId: 'a-stored', ref: 'snap-1', camera: 'cam-b', capturedAt: Date.now(), jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) })
  const traj = new TrajectoryStore(db, { flushInterval_ms: 0 })
  traj.add({ subject: 'sub-aaaa1111', at: 1_000_000, x: 1, y: 2, zone: 'corridor' })
  traj.flush()
  db.close()
})
t.after(async () => {
  await monitor.endAsync()
  await rig.stop()
})

t('an open alert from the bus is listed; an ack through the API is published on the commands topic with the user as actor', async () => {
  const op = await rig.login('operator')
  await monitor.publishAsync(topicOf('alert', { site: SITE, alertId: 'a-1' }), encodePayload('alert', sampleAlert('a-1')), { qos: 1, retain: true })
  const open = await until<Alert[]>('/api/alerts', op, (b) => b.some((a) => a.id === 'a-1'))
  assert.is(open[0]?.id, 'a-1')
  const all = (await (await rig.api('/api/alerts?state=all', { cookie: op })).json()) as Alert[]
  assert.ok(all.some((a) => a.id === 'a-stored'), 'state=all reads the store')
  await monitor.subscribeAsync(topicOf('alertAction', { site: SITE }), { qos: 1 })
  const seen = collect(monitor)
  const r = await rig.api('/api/alerts/a-1/ack', { method: 'POST', cookie: op, body: { note: 'on my way' } })
  assert.is(r.status, 202)
  await seen.waitFor(1)
  const msg = decodePayload('alertAction', seen.messages[0]?.payload ?? '')
  assert.ok(msg.ok)
  if (msg.ok) assert.equal([msg.value.alertId, msg.value.action, msg.value.by, msg.value.note], ['a-1', 'acknowledge', 'operator', 'on my way'])
  assert.is((await rig.api('/api/alerts/a-none/resolve', { method: 'POST', cookie: op, body: {} })).status, 404)
  await monitor.unsubscribeAsync(topicOf('alertAction', { site: SITE }))
})

t('a mission POST publishes a valid mission request; an unknown node is 400', async () => {
  const op = await rig.login('operator')
  const client = await connectAs(rig.broker.tcpUrl, 'fleet')
  try {
    await client.subscribeAsync(topicOf('missionRequest', { site: SITE }), { qos: 1 })
    const seen = collect(client)
    assert.is((await rig.api('/api/missions', { method: 'POST', cookie: op, body: { kind: 'patrol', nodes: ['n1', 'nope'] } })).status, 400)
    const r = await rig.api('/api/missions', { method: 'POST', cookie: op, body: { kind: 'patrol', robot: 'r1', nodes: ['n1', 'n2'] } })
    assert.is(r.status, 202)
    const { requestId } = (await r.json()) as { requestId: string }
    const cancel = await rig.api('/api/missions/m-7/cancel', { method: 'POST', cookie: op })
    assert.is(cancel.status, 202)
    await seen.waitFor(2)
    const start = decodePayload('missionRequest', seen.messages[0]?.payload ?? '')
    assert.ok(start.ok, start.ok ? '' : start.error)
    if (start.ok && start.value.action === 'start') {
      assert.equal([start.value.requestId, start.value.kind, start.value.robot, start.value.nodes, start.value.requestedBy], [requestId, 'patrol', 'r1', ['n1', 'n2'], 'operator'])
    } else assert.unreachable('not a start request')
    const stop = decodePayload('missionRequest', seen.messages[1]?.payload ?? '')
    assert.ok(stop.ok && stop.value.action === 'cancel' && stop.value.missionId === 'm-7')
  } finally {
    await client.endAsync()
  }
})

t('the live WebSocket is refused without a session (401) and from another site\'s page (403)', async () => {
  assert.is(await upgradeStatus(rig.socket('/api/live')), 401)
  const op = await rig.login('operator')
  assert.is(await upgradeStatus(rig.socket('/api/live', op, { origin: 'https://evil.example' })), 403)
})

t('with a session the live WebSocket says hello, sends the snapshot, then tracks from the bus', async () => {
  const op = await rig.login('operator')
  const ws = rig.socket('/api/live', op, { origin: rig.base })
  const box = inbox(ws)
  assert.is(await upgradeStatus(ws), 101)
  try {
    const hello = (await box.next((m) => (m as { type: string }).type === 'hello')) as { user: string; role: string }
    assert.equal([hello.user, hello.role], ['operator', 'operator'])
    await box.next((m) => (m as { type: string; alert?: Alert }).type === 'alert' && (m as { alert: Alert }).alert.id === 'a-1')
    await monitor.publishAsync(topicOf('tracks', { site: SITE }), encodePayload('tracks', tracks()))
    const m = (await box.next((x) => (x as { type: string }).type === 'tracks')) as { tracks: Tracks['tracks'] }
    assert.is(m.tracks[0]?.subject, 'sub-aaaa1111')
    const latest = (await (await rig.api('/api/tracks', { cookie: op })).json()) as { tracks: unknown[] }
    assert.is(latest.tracks.length, 1)
  } finally {
    ws.close()
  }
})

t('evidence n is the JPEG of the alert\'s n-th evidence entry; trajectories are answered and every query is audited', async () => {
  const op = await rig.login('operator')
  const img = await rig.api('/api/alerts/a-stored/evidence/1', { cookie: op })
  assert.is(img.status, 200)
  assert.is(img.headers.get('content-type'), 'image/jpeg')
  assert.equal([...new Uint8Array(await img.arrayBuffer())], [0xff, 0xd8, 0xff, 0xd9])
  assert.is((await rig.api('/api/alerts/a-stored/evidence/0', { cookie: op })).status, 404, 'entry 0 is a trajectory, not a snapshot')
  assert.is((await rig.api('/api/alerts/a-stored/evidence/2', { cookie: op })).status, 404)
  const tr = await rig.api('/api/trajectories?subject=sub-aaaa1111&from=0&to=2000000', { cookie: op })
  assert.is(tr.status, 200)
  assert.equal(((await tr.json()) as { points: unknown[] }).points, [{ at: 1_000_000, x: 1, y: 2, zone: 'corridor' }])
  const sup = await rig.login('supervisor')
  const audit = (await (await rig.api('/api/audit', { cookie: sup })).json()) as Array<{ actor: string; action: string; subject: string }>
  assert.ok(audit.some((e) => e.action === 'trajectory.view' && e.actor === 'operator' && e.subject === 'sub-aaaa1111'))
  assert.ok(audit.some((e) => e.action === 'evidence.view' && e.subject === 'a-stored'))
})

t('the venue view carries the map but no RTSP URLs', async () => {
  const op = await rig.login('operator')
  const text = await (await rig.api('/api/venue', { cookie: op })).text()
  assert.not.match(text, /rtsp:/)
  const v = JSON.parse(text) as { floor: { zones: unknown[] }; graph: { nodes: Array<{ xy: number[] }> }; projects: Array<{ experts: string[] }> }
  assert.is(v.floor.zones.length, 2)
  assert.equal(v.graph.nodes[0]?.xy, [5, 5])
  assert.equal(v.projects[0]?.experts, ['sub-aaaa1111'])
  const tel = (await (await rig.api('/api/telemetry?hours=1', { cookie: op })).json()) as { every_s: number; samples: unknown[] }
  assert.is(tel.every_s, 10)
})

t.run()
