import { pino, type Logger } from 'pino'
import pretty from 'pino-pretty'

export type { Logger }

/**
 * One logger for every role: JSON lines when piped (for log shippers), coloured one-liners on a terminal.
 * VENUE_LOG_LEVEL sets the level (default info; tests use silent unless asked).
 */
export function createLogger(name = 'venue', level = process.env.VENUE_LOG_LEVEL ?? 'info'): Logger {
  const opts = { name, level, base: undefined }
  if (process.stdout.isTTY || process.env.VENUE_LOG_PRETTY === '1') {
    return pino(opts, pretty({ sync: true, colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }))
  }
  return pino(opts)
}

/** A logger that writes nothing, for components built in tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
