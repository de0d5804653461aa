/** Worker entry of ThreadedSim (thread.ts): runs a SimRunner until the main thread says stop. */
import { parentPort, workerData } from 'node:worker_threads'
import { createLogger } from '../shared/log.js'
import { SimRunner } from './runner.js'
import type { SimThreadData } from './thread.js'

const port = parentPort
if (port === null) throw new Error('thread-main.js runs only as a worker of ThreadedSim')
// the main thread built this from a parsed venue and its own options: it crosses a thread, not a trust boundary
const d = workerData as SimThreadData
const logger = createLogger('venue', d.logLevel).child({ role: 'sim', thread: true })
const sim = new SimRunner({
  venue: d.venue,
  url: d.url,
  login: (name) => {
    const l = d.logins[name]
    if (l === undefined) throw new Error(`no login for principal "${name}"`)
    return l
  },
  start_ms: d.start_ms,
  speed: d.speed,
  seed: d.seed,
  visitors: d.visitors,
  deviations: d.deviations,
  logger,
  ...(d.cameraFps === undefined ? {} : { cameraFps: d.cameraFps }),
  wall0: d.wall0,
})
port.on('message', (m: unknown) => {
  if (m !== 'stop') return
  void sim.stop().then(
    () => port.postMessage({ kind: 'stopped' }),
    (err: unknown) => port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) }),
  )
})
sim.start().then(
  () => port.postMessage({ kind: 'started' }),
  (err: unknown) => port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) }),
)
