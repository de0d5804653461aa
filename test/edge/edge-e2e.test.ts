import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import type { MqttClient } from 'mqtt'
import { Venue } from '../../src/config/index.js'
import type { EdgeNode } from '../../src/edge/node.js'
import { stamp } from '../../src/contract/index.js'
import { FacePipeline } from '../../src/vision/index.js'
import { Gallery, parseGalleryKey } from '../../src/vision/gallery/index.js'
import { mainFace } from '../../src/cli/commands/faces.js'
import { collect, connectAs, startBroker, tempDir, type RunningBroker } from '../helpers/mqtt.js'
import { startRtsp, type RtspServer } from '../helpers/rtsp.js'
import { background, loadPicture, makeClip } from '../helpers/clips.js'
import { SITE, testVenue } from '../helpers/venue.js'
import { testEdgeNode } from '../helpers/edge.js'
import { needFaces } from '../vision/photos.js'

/**
 * Issue 4, "what it must show" 1: H.264 made here from the real photos pasted onto a background, served
 * by a real RTSP server, read by a real edge node that publishes over a real broker: the enrolled
 * person is named on one camera, the stranger on the other stays unknown.
 */
const t = suite('edge node end to end: RTSP in, recognised sightings out')
const photos = needFaces(t)
const KEY_HEX = '22'.repeat(32)

if (photos !== undefined) {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let rtsp: RtspServer
  let broker: RunningBroker
  let monitor: MqttClient
  let edge: EdgeNode
  const inbox: Array<{ topic: string; payload: string }> = []

  t.before(async () => {
    try {
      await setup()
    } catch (err) {
      // uvu swallows errors thrown by hooks: say what broke
      console.error('edge e2e setup failed:', err)
      throw err
    }
  })

  const setup = async () => {
    dir = await tempDir('venue-edge-e2e-')
    const keyFile = join(dir.path, 'gallery.key')
    await writeFile(keyFile, KEY_HEX + '\n', { mode: 0o600 })
    const of = (id: string) => photos.filter((p) => p.id === id).map((p) => p.path)

    // enrol two people from one photo each
    const pipeline = await FacePipeline.open()
    const gallery = await Gallery.open(join(dir.path, 'gallery'), parseGalleryKey(KEY_HEX, 'test'))
    for (const [subject, photo] of [['sub-dfid01', of('df_id01')[0]!], ['sub-obama01', of('fr_obama')[0]!]] as const) {
      const face = mainFace((await pipeline.analyseFile(photo)).faces)
      gallery.enrol(subject, [{ embedding: face!.embedding!, source: 'src-test', quality: face!.quality.score }])
    }
    await gallery.save()
    await pipeline.close()

    // two cameras: another photo of the first person walking by, and a stranger
    const base = background(640, 360)
    const walker = async (path: string) => {
      const pic = await loadPicture(path, 220)
      return (i: number) => [{ picture: pic, x: 40 + ((i * 4) % 360), y: 70 + 6 * Math.sin(i / 5) }]
    }
    await makeClip(join(dir.path, 'a.mp4'), { width: 640, height: 360, fps: 5, seconds: 60, base, scene: await walker(of('df_id01')[2]!) })
    await makeClip(join(dir.path, 'b.mp4'), { width: 640, height: 360, fps: 5, seconds: 60, base, scene: await walker(of('fr_biden')[0]!) })
    rtsp = await startRtsp({ a: join(dir.path, 'a.mp4'), b: join(dir.path, 'b.mp4') })

    const base_ = await testVenue()
    const venue = Venue.parse({
      ...base_,
      cameras: base_.cameras.map((c) =>
        c.id === 'cam-a' ? { ...c, rtspUrl: rtsp.url('a'), width_px: 640, height_px: 360 } : c.id === 'cam-b' ? { ...c, rtspUrl: rtsp.url('b'), width_px: 640, height_px: 360 } : c,
      ),
      vision: { ...base_.vision, gallery: { dir: join(dir.path, 'gallery'), keyFile } },
    })
    broker = await startBroker(venue)
    monitor = await connectAs(broker.tcpUrl, 'monitor')
    monitor.on('message', (topic, payload) => inbox.push({ topic, payload: payload.toString() }))
    await monitor.subscribeAsync(`venue/v1/${SITE}/#`, { qos: 1 })
    edge = testEdgeNode(venue, broker.tcpUrl, dir.path)
    await edge.start()
  }

  t.after(async () => {
    await edge?.stop()
    await monitor?.endAsync()
    await broker?.broker.stop()
    await rtsp?.stop()
    await dir?.remove()
  })

  const sightings = (camera: string) =>
    inbox
      .filter((m) => m.topic === `venue/v1/${SITE}/cameras/${camera}/sightings`)
      .map((m) => JSON.parse(m.payload) as { frameId: number; snapshot?: string; tracks: Array<{ subject: string; score: number; liveness: number | null; trackId: string }> })

  t('the enrolled person is named on camera A; the stranger on camera B stays unknown', async () => {
    const deadline = Date.now() + 40_000
    while (Date.now() < deadline) {
      const named = sightings('cam-a').some((s) => s.tracks.some((k) => k.subject === 'sub-dfid01'))
      const strangerSeen = sightings('cam-b').filter((s) => s.tracks.length > 0).length >= 15
      if (named && strangerSeen) break
      await new Promise((r) => setTimeout(r, 250))
    }
    const a = sightings('cam-a')
    const b = sightings('cam-b')
    assert.ok(a.some((s) => s.tracks.some((k) => k.subject === 'sub-dfid01')), `camera A never named sub-dfid01 in ${a.length} sightings`)
    assert.ok(b.filter((s) => s.tracks.length > 0).length >= 15, `camera B saw faces in only ${b.filter((s) => s.tracks.length > 0).length} sightings`)
    const wrongA = a.flatMap((s) => s.tracks).filter((k) => k.subject !== 'sub-dfid01' && k.subject !== 'unknown')
    const wrongB = b.flatMap((s) => s.tracks).filter((k) => k.subject !== 'unknown')
    assert.equal(wrongA, [], 'camera A named nobody else')
    assert.equal(wrongB, [], 'the stranger was never named')
    const live = a.flatMap((s) => s.tracks).filter((k) => k.liveness !== null)
    assert.ok(live.length > 0, 'liveness is measured')
  })

  t('both cameras report online on their retained status topic', () => {
    for (const camera of ['cam-a', 'cam-b']) {
      const statuses = inbox.filter((m) => m.topic === `venue/v1/${SITE}/cameras/${camera}/status`).map((m) => JSON.parse(m.payload) as { state: string; fps: number })
      assert.ok(statuses.some((s) => s.state === 'online'), `${camera}: ${JSON.stringify(statuses.map((s) => s.state))}`)
    }
  })

  t('a snapshot named in a sighting is served as a JPEG on request', async () => {
    const withSnap = sightings('cam-a').find((s) => s.snapshot !== undefined)
    assert.ok(withSnap !== undefined, 'a sighting names a snapshot')
    const replies = collect(monitor)
    await monitor.publishAsync(
      `venue/v1/${SITE}/cameras/cam-a/snapshot-requests`,
      JSON.stringify({ ...stamp(), requestId: 'req-snap-1', camera: 'cam-a', snapshot: withSnap!.snapshot, requestedBy: 'monitor' }),
      { qos: 1 },
    )
    const deadline = Date.now() + 5000
    let reply: { requestId: string; jpeg: string; snapshot: string } | undefined
    while (reply === undefined && Date.now() < deadline) {
      const m = replies.messages.find((x) => x.topic === `venue/v1/${SITE}/cameras/cam-a/snapshot`)
      if (m !== undefined) reply = JSON.parse(m.payload)
      else await new Promise((r) => setTimeout(r, 50))
    }
    assert.ok(reply !== undefined, 'no snapshot came back')
    assert.is(reply!.requestId, 'req-snap-1')
    assert.is(reply!.snapshot, withSnap!.snapshot)
    const meta = await sharp(Buffer.from(reply!.jpeg, 'base64')).metadata()
    assert.is(meta.format, 'jpeg')
    assert.is(meta.width, 640)
  })
}
t.run()
