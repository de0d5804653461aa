import type { Logger } from './log.js'

export interface Component<T = unknown> {
  start(): Promise<T>
  stop(): Promise<void>
}

/** Thrown by `Lifecycle.start` when a stop was requested while starting. */
export class StopRequested extends Error {
  constructor() {
    super('stop requested during start-up')
    this.name = 'StopRequested'
  }
}

/**
 * Starts components in order and stops them in reverse, once, on SIGINT/SIGTERM or on request.
 * A component that fails to stop is logged; the others still stop.
 */
export class Lifecycle {
  private readonly started: Array<{ name: string; c: Component<unknown> }> = []
  private stopping: Promise<void> | undefined

  constructor(private readonly logger: Logger) {}

  /**
   * Start a component. When a stop was requested meanwhile (a signal during start-up), the component
   * is stopped again and `StopRequested` is thrown, so the caller's start-up ends quietly.
   */
  async start<T>(name: string, c: Component<T>): Promise<T> {
    if (this.stopping !== undefined) throw new StopRequested()
    let result: T
    try {
      result = await c.start()
    } catch (err) {
      if (this.stopping === undefined) throw err
      await c.stop().catch(() => undefined)
      throw new StopRequested()
    }
    if (this.stopping !== undefined) {
      await c.stop().catch((err: unknown) => this.logger.error({ component: name, err }, 'failed to stop cleanly'))
      throw new StopRequested()
    }
    this.started.push({ name, c })
    return result
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, c } of this.started.splice(0).reverse()) {
        try {
          await c.stop()
        } catch (err) {
          this.logger.error({ component: name, err }, 'failed to stop cleanly')
        }
      }
    })()
    return this.stopping
  }

  /** Stop everything on the first SIGINT/SIGTERM; a second one exits at once. */
  stopOnSignals(): Promise<void> {
    return new Promise((resolve) => {
      let seen = false
      const onSignal = (signal: NodeJS.Signals) => {
        if (seen) process.exit(130)
        seen = true
        this.logger.info({ signal }, 'stopping')
        void this.stop().then(resolve)
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
    })
  }
}
