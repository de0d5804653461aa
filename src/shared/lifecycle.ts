import type { Logger } from './log.js'

export interface Component<T = unknown> {
  start(): Promise<T>
  stop(): Promise<void>
}

/**
 * Starts components in order and stops them in reverse, once, on SIGINT/SIGTERM or on request.
 * A component that fails to stop is logged; the others still stop.
 */
export class Lifecycle {
  private readonly started: Array<{ name: string; c: Component<unknown> }> = []
  private stopping: Promise<void> | undefined

  constructor(private readonly logger: Logger) {}

  async start<T>(name: string, c: Component<T>): Promise<T> {
    const result = await c.start()
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
