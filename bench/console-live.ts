/**
 * `npm run bench:console`: what a camera's live view costs the console, for the three ways of doing it
 * (src/console/live/formats.ts): JPEG frames (640 px, 5 fps), MPEG-1 in MPEG-TS for jsmpeg (640 px,
 * 25 fps, 1 Mbit/s) and the camera's H.264 repackaged as fragmented MP4 for MSE (no re-encode).
 * Figures only: a benchmark never asserts.
 *
 * The camera: the GStreamer RTSP server of the tests relaying a rendered H.264 clip (BENCH_W x BENCH_H,
 * BENCH_FPS, default 1280x720 at 15 fps, a moving patch on a textured background). For each format
 * and 1, 4 and 16 viewers: the real CameraRelay (one ffmpeg, the viewers on a WebSocket server in this
 * process); the viewers run in a child process so that their CPU is not counted. After a 3 s warm-up,
 * BENCH_SECONDS (default 10) are measured: ffmpeg's CPU (utime+stime from /proc), this process's CPU
 * (the relay and WebSocket sends) and the bytes each viewer received.
 */
import { fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { WebSocket, WebSocketServer } from 'ws'
import { CameraRelay } from '../src/console/live/relay.js'
import type { LiveFormat } from '../src/console/live/formats.js'
import { silentLogger } from '../src/shared/log.js'
import { makeClip, background } from '../test/helpers/clips.js'
import { tempDir } from '../test/helpers/mqtt.js'
import { startRtsp } from '../test/helpers/rtsp.js'

const W = Number(process.env.BENCH_W ?? 1280)
const H = Number(process.env.BENCH_H ?? 720)
const FPS = Number(process.env.BENCH_FPS ?? 15)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const WARMUP_S = 3
const VIEWERS = [1, 4, 16]
const FORMATS: LiveFormat[] = ['jpeg', 'mpeg1', 'fmp4']
const TICK_HZ = 100 // Linux USER_HZ, the unit of /proc/<pid>/stat times

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** CPU seconds a process has used so far, from /proc/<pid>/stat (fields 14 and 15). */
function procCpu_s(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICK_HZ
}

/** Child mode: `n` viewers on `url`; prints the bytes each received during the measured window. */
async function viewers(url: string, n: number, warmup_ms: number, window_ms: number): Promise<void> {
  const counts = new Array<number>(n).fill(0)
  let counting = false
  const sockets = Array.from({ length: n }, (_, i) => {
    const ws = new WebSocket(url)
    ws.on('message', (d: Buffer, binary) => {
      if (binary && counting) counts[i] = (counts[i] ?? 0) + d.length
    })
    return ws
  })
  await sleep(warmup_ms)
  counting = true
  process.send?.('start')
  await sleep(window_ms)
  counting = false
  process.send?.(JSON.stringify(counts))
  for (const ws of sockets) ws.close()
}

async function measure(rtspUrl: string, format: LiveFormat, n: number): Promise<{ ffmpeg: number; relay: number; kbps: number }> {
  const relay = new CameraRelay('bench', rtspUrl, { format, width_px: 640, fps: 5, quality: 7 }, silentLogger())
  const http = createServer()
  const wss = new WebSocketServer({ server: http })
  wss.on('connection', (ws) => {
    relay.add(ws)
    ws.once('close', () => relay.remove(ws))
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  const port = (http.address() as AddressInfo).port
  const child = fork(process.argv[1] ?? '', ['--viewers', `ws://127.0.0.1:${port}/`, String(n), String(WARMUP_S * 1000), String(SECONDS * 1000)])
  const messages: string[] = []
  const started = new Promise<void>((resolve) => child.on('message', (m) => (messages.push(String(m)), m === 'start' && resolve())))
  await started
  const pid = relay.pid
  const ff0 = pid === undefined ? 0 : procCpu_s(pid)
  const me0 = process.cpuUsage()
  await new Promise<void>((resolve) => child.on('message', () => messages.length >= 2 && resolve()))
  const ff1 = pid === undefined || relay.pid !== pid ? ff0 : procCpu_s(pid)
  const me = process.cpuUsage(me0)
  const counts = JSON.parse(messages[1] ?? '[]') as number[]
  await new Promise((r) => child.once('exit', r))
  relay.stop()
  wss.close()
  http.close()
  const meanBytes = counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length)
  return { ffmpeg: (ff1 - ff0) / SECONDS, relay: (me.user + me.system) / 1e6 / SECONDS, kbps: (meanBytes * 8) / 1000 / SECONDS }
}

async function main(): Promise<void> {
  const dir = await tempDir('venue-bench-live-')
  const clip = join(dir.path, 'cam.mp4')
  const patch = { data: Buffer.alloc(120 * 200 * 3, 220), width: 120, height: 200 }
  process.stdout.write(`rendering a ${W}x${H} ${FPS} fps clip... `)
  await makeClip(clip, { width: W, height: H, fps: FPS, seconds: 20, base: background(W, H, 7), scene: (i) => [{ picture: patch, x: (i * 9) % (W - 120), y: H / 3 + 60 * Math.sin(i / 9) }] })
  const rtsp = await startRtsp({ cam: clip })
  console.log('done')
  console.log(`camera: H.264 ${W}x${H} @ ${FPS} fps over RTSP; ${SECONDS} s measured per row; CPU in % of one core`)
  console.log('format  viewers  ffmpeg %  relay %  total %  per viewer %  kbit/s per viewer')
  try {
    for (const format of FORMATS) {
      for (const n of VIEWERS) {
        const r = await measure(rtsp.url('cam'), format, n)
        const total = r.ffmpeg + r.relay
        console.log(
          `${format.padEnd(7)} ${String(n).padStart(7)}  ${(r.ffmpeg * 100).toFixed(1).padStart(8)}  ${(r.relay * 100).toFixed(1).padStart(7)}  ${(total * 100).toFixed(1).padStart(7)}  ${((total * 100) / n).toFixed(2).padStart(12)}  ${r.kbps.toFixed(0).padStart(17)}`,
        )
      }
    }
  } finally {
    await rtsp.stop()
    await dir.remove()
  }
}

if (process.argv[2] === '--viewers') {
  await viewers(process.argv[3] ?? '', Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]))
} else {
  await main()
}
