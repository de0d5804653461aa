/**
 * The simulator on a thread of its own: the world, the synthetic cameras and the vehicles run in a
 * worker with their own event loop, so that at a fast sim clock they neither wait for the roles in the
 * main thread nor delay them (at x120, 10 ms of event-loop delay is 1.2 sim s). Both threads' clocks
 * start at the same wall time and run at the same speed.
 */
import { Worker } from 'node:worker_threads'
import { z } from 'zod'
import type { Venue } from '../config/schema/venue.js'
import type { Login, SimRunnerOptions } from './runner.js'
import type { ScenarioDeviation } from './scenario.js'

export type ThreadedSimOptions = Pick<SimRunnerOptions, 'venue' | 'url' | 'login' | 'start_ms' | 'speed' | 'seed' | 'visitors' | 'deviations' | 'cameraFps' | 'logger'> & {
  /** pino level of the worker's own log (default: VENUE_LOG_LEVEL, else warn). */
  logLevel?: string
}

/** What the worker gets: everything structured-cloneable (logins resolved to a table). */
export interface SimThreadData {
  venue: Venue
  url: string
  logins: Record<string, Login>
  start_ms: number
  speed: number
  seed: number
  visitors: number
  deviations: ScenarioDeviation[]
  cameraFps?: number
  logLevel: string
  wall0: number
}

const FromWorker = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('started') }),
  z.object({ kind: z.literal('stopped') }),
  z.object({ kind: z.literal('error'), message: z.string() }),
])

export class ThreadedSim {
  private worker: Worker | undefined
  private wall0 = 0
  private readonly waiting = new Map<'started' | 'stopped', () => void>()
  private failure: ((err: Error) => void) | undefined

  constructor(private readonly o: ThreadedSimOptions) {}

  /** Sim time now, epoch ms. */
  readonly clock = (): number => this.o.start_ms + (this.wall0 === 0 ? 0 : (Date.now() - this.wall0) * this.o.speed)

  async start(): Promise<void> {
    const { venue } = this.o
    const logins: Record<string, Login> = {}
    for (const p of venue.principals) if (p.role === 'edge' || p.role === 'robot') logins[p.name] = this.o.login(p.name)
    const data: SimThreadData = {
      venue,
      url: this.o.url,
      logins,
      start_ms: this.o.start_ms,
      speed: this.o.speed,
      seed: this.o.seed,
      visitors: this.o.visitors ?? 3,
      deviations: [...(this.o.deviations ?? [])],
      ...(this.o.cameraFps === undefined ? {} : { cameraFps: this.o.cameraFps }),
      logLevel: this.o.logLevel ?? process.env.VENUE_LOG_LEVEL ?? 'warn',
      // both clocks start now: the robots' first states, sent while the worker still starts, are
      // stamped on the same clock the fleet reads
      wall0: Date.now(),
    }
    this.wall0 = data.wall0
    const worker = new Worker(new URL('./thread-main.js', import.meta.url), { workerData: data })
    this.worker = worker
    worker.on('message', (raw: unknown) => {
      const m = FromWorker.safeParse(raw)
      if (!m.success) return this.o.logger.error({ issues: m.error.issues }, 'unreadable message from the simulator thread')
      if (m.data.kind === 'error') return this.failure?.(new Error(`simulator thread: ${m.data.message}`))
      this.waiting.get(m.data.kind)?.()
    })
    worker.on('error', (err) => this.failure?.(err))
    await new Promise<void>((resolve, reject) => {
      this.failure = reject
      this.waiting.set('started', () => resolve())
    })
    this.failure = (err) => this.o.logger.error({ err }, 'simulator thread failed')
  }

  async stop(): Promise<void> {
    const worker = this.worker
    if (worker === undefined) return
    this.worker = undefined
    const stopped = new Promise<void>((resolve) => this.waiting.set('stopped', () => resolve()))
    worker.postMessage('stop')
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 10_000))])
    await worker.terminate()
  }
}
