import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Backoff, FfmpegSource, FramePool, FrameReader, ffmpegArgs, fileSource, redact, rtspSource } from '../../src/edge/sources/index.js'
import type { Frame, SourceStatus } from '../../src/edge/types.js'
import { sleep, tempDir } from '../helpers/mqtt.js'
import { alive } from '../helpers/processes.js'

/**
 * Frame sources without a camera: command lines, back-off, the frame pool, and FfmpegSource driven by
 * ffmpeg's own test pattern (lavfi) or by small shell scripts standing in for ffmpeg (a stream that
 * stalls, a connection refused, a process that ignores SIGTERM).
 */
const t = suite('edge frame sources')
let dir: { path: string; remove: () => Promise<void> }
const sources: FfmpegSource[] = []

t.before(async () => {
  dir = await tempDir('venue-sources-')
})
t.after.each(async () => {
  for (const s of sources.splice(0)) await s.stop()
})
t.after(async () => {
  await dir.remove()
})

/** An executable standing in for ffmpeg. `exec` at the end so SIGTERM reaches the process that holds stdout. */
async function fakeFfmpeg(name: string, body: string): Promise<string> {
  const path = join(dir.path, name)
  await writeFile(path, `#!/bin/sh\n${body}\n`)
  await chmod(path, 0o755)
  return path
}


async function until(what: string, cond: () => boolean, timeout_ms = 5000): Promise<void> {
  const end = Date.now() + timeout_ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

function track(s: FfmpegSource): { statuses: SourceStatus[]; frames: Frame[] } {
  sources.push(s)
  const statuses: SourceStatus[] = []
  const frames: Frame[] = []
  s.onStatus((st) => statuses.push(st))
  s.onFrame((f) => {
    frames.push(f)
    f.release()
  })
  return { statuses, frames }
}

t('command lines: RTSP over TCP or UDP with low-latency input flags, file replays loop in real time', () => {
  const out = { width: 640, height: 360, fps: 5 }
  const rtsp = ffmpegArgs({ kind: 'rtsp', url: 'rtsp://cam/1', transport: 'tcp', connect_timeout_ms: 10_000 }, out).join(' ')
  assert.match(rtsp, '-rtsp_transport tcp -timeout 10000000 -fflags nobuffer -flags low_delay')
  assert.match(rtsp, '-i rtsp://cam/1 -an')
  assert.match(rtsp, '-vf fps=5,scale=640:360,format=rgb24 -pix_fmt rgb24')
  assert.match(rtsp, /-f rawvideo pipe:1$/)
  assert.match(ffmpegArgs({ kind: 'rtsp', url: 'rtsp://cam/1', transport: 'udp', connect_timeout_ms: 1 }, out).join(' '), '-rtsp_transport udp')
  assert.match(ffmpegArgs({ kind: 'file', path: '/c.mp4', loop: true, realtime: true }, out).join(' '), '-re -stream_loop -1 -i /c.mp4')
  assert.match(ffmpegArgs({ kind: 'file', path: '/c.mp4', loop: false, realtime: false }, out).join(' '), '-loglevel error -i /c.mp4')
  const s = rtspSource('rtsp://admin:secret@10.0.0.5/stream1', { width: 64, height: 36, fps: 5 })
  assert.is(s.id, 'rtsp://***@10.0.0.5/stream1')
  assert.is(redact('rtsp://u:p@h/x: 401 Unauthorized'), 'rtsp://***@h/x: 401 Unauthorized')
})

t('back-off: 0.5 s doubling to 10 s, back to 0.5 s after a healthy minute', () => {
  const b = new Backoff()
  assert.equal([1, 2, 3, 4, 5, 6, 7].map(() => b.next(1000)), [500, 1000, 2000, 4000, 8000, 10_000, 10_000])
  assert.is(b.next(60_000), 500)
  assert.is(b.next(0), 1000)
})

t('frame reader: frames cut from odd-sized chunks, copied once into pooled buffers that come back on release', () => {
  const pool = new FramePool(4 * 2 * 3, 3)
  const got: Frame[] = []
  let dropped = 0
  const reader = new FrameReader(pool, 4, 2, (f) => (f === undefined ? dropped++ : got.push(f.frames(1)[0]!)), () => 42)
  const bytes = Buffer.from(Array.from({ length: 24 * 5 }, (_, i) => i % 251))
  for (let i = 0; i < bytes.length; i += 7) reader.push(bytes.subarray(i, i + 7))
  // three buffers, all held by the consumer: the last two frames are read past
  assert.is(got.length, 3)
  assert.is(dropped, 2)
  assert.equal([...got[1]!.data], [...bytes.subarray(24, 48)])
  assert.equal(got.map((f) => [f.seq, f.capturedAt, f.width, f.height]), [[0, 42, 4, 2], [1, 42, 4, 2], [2, 42, 4, 2]])
  const buffer = got[0]!.data
  got[0]!.release()
  got[0]!.release() // idempotent: the buffer is not given back twice
  assert.is(pool.available(), 1)
  reader.push(bytes.subarray(0, 24))
  assert.is(got[3]!.data, buffer, 'the released buffer is reused, not reallocated')
  assert.is(got[3]!.seq, 5, 'dropped frames keep their numbers')
})

t('frame reader: a frame shared by two holders returns to the pool when both release it', () => {
  const pool = new FramePool(3, 2)
  let frames: Frame[] = []
  const reader = new FrameReader(pool, 1, 1, (f) => (frames = f?.frames(2) ?? []))
  reader.push(Buffer.from([1, 2, 3]))
  assert.is(pool.available(), 1)
  frames[0]!.release()
  assert.is(pool.available(), 1)
  frames[1]!.release()
  assert.is(pool.available(), 2)
})

t('ffmpeg test pattern: frames at the requested size and rate, from pooled buffers', async () => {
  const s = new FfmpegSource({ kind: 'args', args: ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25'], label: 'testsrc' }, { width: 160, height: 90, fps: 10 })
  const { statuses, frames } = track(s)
  await s.start()
  await until('12 frames', () => frames.length >= 12)
  const f = frames.at(-1)!
  assert.equal([f.width, f.height, f.data.length], [160, 90, 160 * 90 * 3])
  const span = frames.at(-1)!.capturedAt - frames[1]!.capturedAt
  const fps = (frames.length - 2) / (span / 1000)
  assert.ok(fps > 7 && fps < 13, `${fps.toFixed(1)} fps`)
  assert.equal(statuses.map((x) => x.state), ['connecting', 'streaming'])
  assert.ok(new Set(frames.map((x) => x.data)).size <= 4, 'at most pool_frames distinct buffers')
  // shared memory: what a worker thread receives by postMessage is this buffer, not a clone
  assert.instance(f.data.buffer, SharedArrayBuffer)
  const posted = structuredClone(f.data)
  posted[0] = f.data[0]! ^ 0xff
  assert.is(f.data[0], posted[0])
})

t('a consumer that holds every buffer: newer frames are read past and counted, never queued', async () => {
  const s = new FfmpegSource({ kind: 'args', args: ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25'], label: 'testsrc' }, { width: 64, height: 36, fps: 25, pool_frames: 3 })
  sources.push(s)
  const held: Frame[] = []
  s.onFrame((f) => held.push(f))
  await s.start()
  await until('drops', () => s.counters().dropped >= 10)
  assert.is(held.length, 3, 'a pool of 3 buffers')
  const last = held[2]!.seq
  for (const f of held.splice(0)) f.release()
  await until('a new frame', () => held.length > 0)
  assert.ok(held[0]!.seq > last + 10, 'the next frame delivered is a fresh one')
  for (const f of held.splice(0)) f.release()
})

t('stall: no frame for stall_ms -> stalled, ffmpeg killed and restarted; frames flow again', async () => {
  const ffmpeg = await fakeFfmpeg('stalls', `head -c ${8 * 4 * 3 * 5} /dev/zero; exec sleep 30`)
  const s = fileSource('/dev/null', { width: 8, height: 4, fps: 25, stall_ms: 400, ffmpeg, backoff: { initial_ms: 50, max_ms: 100, healthy_ms: 60_000 } })
  const { statuses, frames } = track(s)
  await s.start()
  await until('a reconnect', () => s.counters().reconnects >= 1 && frames.length >= 10)
  assert.equal(statuses.slice(0, 3).map((x) => x.state), ['connecting', 'streaming', 'stalled'])
  assert.match(statuses[2]!.detail ?? '', /^no frame for 0\.[45] s$/)
  assert.is(frames.at(-1)!.seq, 4, 'frames are numbered from 0 again after a reconnect')
})

t('cannot connect: offline with ffmpeg last error line, credentials removed; retries keep the state', async () => {
  const ffmpeg = await fakeFfmpeg('refused', `echo '[tcp @ 0x55d0c0ffee00] Connection to tcp://10.0.0.5:554 failed: Connection refused' >&2
echo 'rtsp://admin:secret@10.0.0.5/stream1: Connection refused' >&2; exit 1`)
  const s = rtspSource('rtsp://admin:secret@10.0.0.5/stream1', { width: 8, height: 4, fps: 5, ffmpeg, backoff: { initial_ms: 50, max_ms: 50, healthy_ms: 1000 } })
  const { statuses } = track(s)
  await s.start()
  await until('retries', () => s.counters().reconnects >= 3)
  assert.equal(statuses.map((x) => [x.state, x.detail]), [['connecting', undefined], ['offline', 'rtsp://***@10.0.0.5/stream1: Connection refused']])
})

t('ffmpeg missing: offline, saying so', async () => {
  const s = fileSource('/dev/null', { width: 8, height: 4, fps: 5, ffmpeg: join(dir.path, 'no-such-ffmpeg') })
  const { statuses } = track(s)
  await s.start()
  await until('offline', () => s.status().state === 'offline')
  assert.match(statuses.at(-1)!.detail ?? '', /cannot run .*no-such-ffmpeg: spawn .* ENOENT/)
})

t('stop(): SIGTERM, then SIGKILL for an ffmpeg that ignores it; no process left behind', async () => {
  const ffmpeg = await fakeFfmpeg('stubborn', `trap '' TERM; head -c ${8 * 4 * 3} /dev/zero; exec sleep 30`)
  const s = fileSource('/dev/null', { width: 8, height: 4, fps: 5, ffmpeg, kill_grace_ms: 300 })
  const { frames } = track(s)
  await s.start()
  await until('a frame', () => frames.length > 0)
  const pid = s.pid()!
  assert.ok(alive(pid))
  const t0 = Date.now()
  await s.stop()
  assert.ok(Date.now() - t0 >= 250, 'waited for the grace period')
  assert.not.ok(alive(pid))
  assert.is(s.pid(), undefined)
  assert.equal(s.status().state, 'stopped')
})

t('start() right after a stop() nobody awaited: the old ffmpeg goes first, never two at once', async () => {
  const ffmpeg = await fakeFfmpeg('steady', `while :; do head -c ${8 * 4 * 3} /dev/zero; sleep 0.05; done`)
  const s = fileSource('/dev/null', { width: 8, height: 4, fps: 20, ffmpeg, kill_grace_ms: 300 })
  const { frames } = track(s)
  await s.start()
  await until('a frame', () => frames.length > 0)
  const first = s.pid()!
  void s.stop()
  await s.start()
  await until('frames again', () => s.pid() !== undefined && frames.length > 5)
  assert.not.ok(alive(first))
  await sleep(300)
  assert.is(s.counters().reconnects, 1, 'one new ffmpeg, no extra reconnect from the old one exiting')
})

t.run()
