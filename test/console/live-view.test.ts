import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { join } from 'node:path'
import type { WebSocket } from 'ws'
import { makeClip } from '../helpers/clips.js'
import { sleep, tempDir } from '../helpers/mqtt.js'
import { startRtsp, type RtspServer } from '../helpers/rtsp.js'
import { calibration } from '../helpers/venue.js'
import { inbox, startConsoleRig, upgradeStatus, type ConsoleRig } from './rig.js'

/** The camera live view through the console against a real RTSP camera (GStreamer relaying an H.264 clip). */
const t = suite('console live view')
let rig: ConsoleRig
let rtsp: RtspServer
let clips: { path: string; remove: () => Promise<void> }

const isJpeg = (b: Buffer): boolean => b.length > 4 && b[0] === 0xff && b[1] === 0xd8 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9

t.before(async () => {
  clips = await tempDir('venue-live-')
  const clip = join(clips.path, 'hall.mp4')
  const patch = { data: Buffer.alloc(40 * 60 * 3, 200), width: 40, height: 60 }
  await makeClip(clip, { width: 320, height: 240, fps: 10, seconds: 30, scene: (i) => [{ picture: patch, x: (i * 4) % 280, y: 90 }] })
  rtsp = await startRtsp({ hall: clip })
  const cam = (id: string, url: string) => ({ id, rtspUrl: url, edgeNode: 'edge-1', zones: ['corridor'], calibration })
  rig = await startConsoleRig({ cameras: [cam('cam-a', rtsp.url('hall')), cam('cam-b', rtsp.url('hall')), cam('cam-c', rtsp.url('missing'))] })
})
t.after(async () => {
  await rig?.stop()
  await rtsp?.stop()
  await clips?.remove()
})

t('without a session the live view is refused with 401 and no ffmpeg starts', async () => {
  assert.is(await upgradeStatus(rig.socket('/api/cameras/cam-a/live')), 401)
  assert.equal(rig.server.liveViewers(), {})
})

t('an unknown camera is 404', async () => {
  const op = await rig.login('operator')
  assert.is(await upgradeStatus(rig.socket('/api/cameras/cam-zz/live', op)), 404)
})

t('two logged-in viewers share one relay and each receives whole JPEG frames; it stops with the last viewer', async () => {
  const op = await rig.login('operator')
  const sup = await rig.login('supervisor')
  const sockets: WebSocket[] = [rig.socket('/api/cameras/cam-a/live', op), rig.socket('/api/cameras/cam-a/live', sup)]
  const boxes = sockets.map(inbox)
  for (const ws of sockets) assert.is(await upgradeStatus(ws), 101)
  const start = (await boxes[0]!.next((m) => !Buffer.isBuffer(m) && (m as { type: string }).type === 'start')) as { format: string }
  assert.is(start.format, 'jpeg')
  assert.equal(rig.server.liveViewers(), { 'cam-a': 2 })
  for (const box of boxes) {
    const frame = (await box.next((m) => Buffer.isBuffer(m), 20_000)) as Buffer
    assert.ok(isJpeg(frame), `frame of ${frame.length} bytes is not a JPEG`)
  }
  sockets[0]!.close()
  for (let i = 0; i < 100 && rig.server.liveViewers()['cam-a'] !== 1; i++) await sleep(20)
  assert.equal(rig.server.liveViewers(), { 'cam-a': 1 })
  sockets[1]!.close()
  for (let i = 0; i < 100 && Object.keys(rig.server.liveViewers()).length > 0; i++) await sleep(20)
  assert.equal(rig.server.liveViewers(), {})
})

t('a camera that does not answer reports "retrying" to its viewer instead of going silent', async () => {
  const op = await rig.login('operator')
  const ws = rig.socket('/api/cameras/cam-c/live', op)
  const box = inbox(ws)
  assert.is(await upgradeStatus(ws), 101)
  try {
    const m = (await box.next((x) => !Buffer.isBuffer(x) && (x as { state?: string }).state === 'retrying', 20_000)) as { detail: string }
    assert.type(m.detail, 'string')
  } finally {
    ws.close()
  }
})

t.run()
