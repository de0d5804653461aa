/**
 * `npm run bench:broker`: messages per second through our broker (auth, ACL, contract validation and
 * on-disk persistence all on) and through a real Mosquitto in the same run, and messages lost to a
 * slow QoS 1 subscriber. One publisher, one subscriber, sightings-sized payloads; medians of 5 runs.
 */
import type { MqttClient } from 'mqtt'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { connectAs, tempDir } from '../test/helpers/mqtt.js'
import { startMosquitto } from '../test/helpers/mosquitto.js'
import { SITE, testVenue } from '../test/helpers/venue.js'
import { venueSamples } from '../test/helpers/samples.js'
import { fmt, median, table } from './stats.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
/** Messages a publisher keeps in flight: enough to fill the pipe, not enough to outrun a broker's queues. */
const WINDOW = 100
const COUNT = { 0: 20_000, 1: 10_000 } as const
const SLOW_COUNT = 5_000
const topic = `venue/v1/${SITE}/cameras/cam-a/sightings`
const payload = Buffer.from(JSON.stringify({ ...venueSamples.cameraSightings('cam-a'), tracks: [venueSamples.cameraSightings().tracks[0], { ...venueSamples.cameraSightings().tracks[0], trackId: 't2' }] }))

interface Target {
  name: string
  url: string
}

let idCounter = 0
const connect = (t: Target, name: string, extra = {}) => connectAs(t.url, name, { clientId: `bench-${name}-${++idCounter}`, ...extra })

/** Publish `n` messages as fast as the client will take them; time until the subscriber has all. */
async function throughput(t: Target, qos: 0 | 1, n: number): Promise<{ perSecond: number; received: number }> {
  const sub = await connect(t, 'monitor')
  const pub = await connect(t, 'edge-1')
  await sub.subscribeAsync(topic, { qos })
  let received = 0
  let lastAt = 0n
  const done = new Promise<void>((resolve) => {
    sub.on('message', () => {
      lastAt = process.hrtime.bigint()
      if (++received === n) resolve()
    })
  })
  const start = process.hrtime.bigint()
  const inflight = new Set<Promise<unknown>>()
  for (let i = 0; i < n; i++) {
    const p: Promise<unknown> = pub.publishAsync(topic, payload, { qos }).finally(() => inflight.delete(p))
    inflight.add(p)
    if (inflight.size >= WINDOW) await Promise.race(inflight)
  }
  await Promise.all(inflight)
  // a broker that dropped messages never completes `done`: give up after 10 s of waiting
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000))
  await Promise.race([done, timeout])
  // rate over the time the messages actually took to arrive, not the time spent waiting for lost ones
  const seconds = Number(lastAt - start) / 1e9
  await pub.endAsync()
  await sub.endAsync(true)
  return { perSecond: received / seconds, received }
}

/**
 * A subscriber that stops reading (its socket paused) while `n` QoS 1 messages arrive, then catches
 * up. It keeps a persistent session, as the console and monitor do. Counts what never arrives.
 */
async function slowSubscriberLoss(t: Target, n: number): Promise<number> {
  const clientId = `bench-slow-${++idCounter}`
  let sub: MqttClient = await connect(t, 'monitor', { clientId, clean: false, reconnectPeriod: 500 })
  await sub.subscribeAsync(topic, { qos: 1 })
  const seen = new Set<number>()
  const count = (_t: string, p: Buffer) => seen.add(JSON.parse(p.toString()).frameId as number)
  sub.on('message', count)
  sub.stream.pause()
  const pub = await connect(t, 'edge-1')
  const base = venueSamples.cameraSightings('cam-a')
  for (let i = 0; i < n; i++) await pub.publishAsync(topic, JSON.stringify({ ...base, frameId: i }), { qos: 1 })
  await pub.endAsync()
  sub.stream.resume()
  // wait until nothing new has arrived for 2 s
  let last = -1
  while (seen.size !== last) {
    last = seen.size
    await new Promise((r) => setTimeout(r, 2000))
    if (!sub.connected && seen.size < n) {
      // a broker may have dropped the slow connection; the persistent session must still deliver
      await sub.endAsync(true)
      sub = await connect(t, 'monitor', { clientId, clean: false })
      sub.on('message', count)
      last = -1
    }
  }
  await sub.endAsync(true)
  if (process.env.BENCH_DEBUG === '1') {
    const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i))
    console.log(`  ${t.name}: missing frameIds ${missing.slice(0, 20).join(', ')}`)
  }
  return n - seen.size
}

/** Start our broker as a child process and learn its port. */
async function startOurs(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('./broker-server.js', import.meta.url))
  const child = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`broker process exited with ${code}`)))
  })
  const { port } = JSON.parse(line) as { port: number }
  const exited = new Promise((r) => child.once('exit', r))
  return { url: `mqtt://127.0.0.1:${port}`, stop: async () => void (child.kill('SIGTERM'), await exited) }
}

async function main(): Promise<void> {
  const venue = await testVenue()
  const dir = await tempDir('venue-bench-')
  const ours = await startOurs(dir.path)
  const mosq = await startMosquitto(venue)
  const targets: Target[] = [
    { name: 'venue broker (aedes + auth + ACL + schema + SQLite)', url: ours.url },
    { name: 'mosquitto 2 (defaults + auth + ACL)', url: mosq.url },
  ]
  console.log(`payload ${payload.length} bytes, ${RUNS} runs each, medians; QoS 0: ${COUNT[0]} msgs, QoS 1: ${COUNT[1]} msgs per run, ${WINDOW} in flight`)
  console.log('each broker runs in its own process; publisher and subscriber share this one')
  console.log('msg/s counts delivered messages over the time they took to arrive; "lost" never arrived')
  try {
    const rates = new Map<string, number>()
    const lost = new Map<string, number>()
    for (const qos of [0, 1] as const) {
      for (let run = 0; run < RUNS; run++) {
        // alternate the order so that neither broker always runs on a warmer machine
        for (const t of run % 2 === 0 ? targets : [...targets].reverse()) {
          const r = await throughput(t, qos, COUNT[qos])
          rates.set(`${t.name}|${qos}|${run}`, r.perSecond)
          lost.set(`${t.name}|${qos}`, (lost.get(`${t.name}|${qos}`) ?? 0) + COUNT[qos] - r.received)
        }
      }
    }
    const med = (name: string, qos: number) => median([...rates].filter(([k]) => k.startsWith(`${name}|${qos}|`)).map(([, v]) => v))
    const rows = [['broker', 'QoS 0 msg/s', 'QoS 0 lost', 'QoS 1 msg/s', 'QoS 1 lost', `lost of ${SLOW_COUNT} to a slow QoS 1 subscriber`]]
    const losses = new Map<string, number>()
    for (const t of targets) losses.set(t.name, await slowSubscriberLoss(t, SLOW_COUNT))
    const lostOf = (name: string, qos: 0 | 1) => `${fmt(lost.get(`${name}|${qos}`) ?? 0)} of ${fmt(COUNT[qos] * RUNS)}`
    for (const t of targets) rows.push([t.name, fmt(med(t.name, 0)), lostOf(t.name, 0), fmt(med(t.name, 1)), lostOf(t.name, 1), fmt(losses.get(t.name)!)])
    console.log(table(rows))
    const [a, b] = targets as [Target, Target]
    console.log(`ratio ours/mosquitto: QoS 0 ${fmt(med(a.name, 0) / med(b.name, 0), 2)}x, QoS 1 ${fmt(med(a.name, 1) / med(b.name, 1), 2)}x`)
  } finally {
    await ours.stop()
    await mosq.stop()
    await dir.remove()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
