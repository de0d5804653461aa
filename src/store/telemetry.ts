/**
 * Operational telemetry (occupancy, camera frame rates, robot batteries, alert counts) pushed to a
 * time-series database.
 *
 * Why the InfluxDB v2 write API (`POST /api/v2/write`, line protocol): it is the one push format that
 * both InfluxDB (v2, and v1.8+ through its compatibility endpoint) and VictoriaMetrics accept as is,
 * so a venue can point `url` at whichever it runs without a second code path. We write through
 * `@influxdata/influxdb-client`'s WriteApi, which gives us batching, a flush timer, retries with
 * back-off and a retry buffer bounded in lines (oldest lines are dropped first when it overflows).
 * VictoriaMetrics ignores `org`, `bucket` and the token (unless it runs with auth) and stores each
 * field as a series named `<measurement>_<field>`, with the tags as labels (booleans become 1/0; a
 * string field becomes a series with value 0, so keep strings in tags).
 *
 * Recording never throws and never blocks: a write failure (server down, timeout, 5xx) is logged with
 * its reason and retried by the client; lines that are finally given up on are logged and counted.
 * When no URL is configured, use `NullTelemetry` (or `createTelemetry`), which has the same interface
 * and does nothing, so callers never branch.
 */
import { InfluxDB, Point, setLogger, type WriteApi } from '@influxdata/influxdb-client'
import type { Logger } from '../shared/log.js'
import type { Component } from '../shared/lifecycle.js'

export type Severity = 'info' | 'warning' | 'critical' | (string & {})
export type Tags = Record<string, string>
export type Fields = Record<string, number | boolean | string>

export interface TelemetryOptions {
  /** Base URL of InfluxDB or VictoriaMetrics, e.g. http://127.0.0.1:8428 (no /api/v2 suffix). */
  url: string
  org: string
  bucket: string
  token?: string | undefined
  /** How often buffered points are sent; default 5000. */
  flushInterval_ms?: number | undefined
  /** Bound of the client's retry buffer, in lines; default 32000 (the client's default). */
  maxBufferLines?: number | undefined
  logger?: Logger | undefined
  /** Retry tuning (client defaults: 5 retries, 5 s first delay, 125 s max delay, 180 s max retry time). */
  maxRetries?: number | undefined
  minRetryDelay_ms?: number | undefined
  maxRetryDelay_ms?: number | undefined
  maxRetryTime_ms?: number | undefined
}

export interface TelemetryStats {
  /** Lines the server accepted. */
  written: number
  /** Failed write attempts (each is retried while the client allows). */
  failedAttempts: number
  /** Lines given up on: retries exhausted, pushed out of the bounded retry buffer, or recorded while stopped. */
  dropped: number
}

/** What callers use; both `Telemetry` and `NullTelemetry` implement it. */
export interface TelemetrySink extends Component<void> {
  /** People counted in a zone. Series `occupancy_count{zone}`. */
  occupancy(zone: string, count: number, at?: Date): void
  /** Frames per second a camera delivers. Series `camera_fps{camera}`. */
  cameraFps(camera: string, fps: number, at?: Date): void
  /** Robot battery charge, percent. Series `robot_battery_pct{robot}`. */
  robotBattery(robot: string, pct: number, at?: Date): void
  /** Open alerts of one severity. Series `alerts_count{severity}`. */
  alertCount(severity: Severity, count: number, at?: Date): void
  /** Any other point. Integers are written as floats unless `intFields` names them. */
  point(measurement: string, tags: Tags, fields: Fields, at?: Date, intFields?: readonly string[]): void
  /** Send what is buffered now (failures are logged, not thrown). */
  flush(): Promise<void>
  stats(): TelemetryStats
}

/** The client logs through one process-wide logger; route it to the most recently started Telemetry's logger. */
let clientLogTarget: Logger | undefined
let clientLoggerInstalled = false
function installClientLogger(logger: Logger | undefined): void {
  clientLogTarget = logger
  if (clientLoggerInstalled) return
  clientLoggerInstalled = true
  setLogger({
    // Failures are already logged with their reason by `writeFailed`; the client's own lines are detail.
    error: (message: string, err?: unknown) => clientLogTarget?.warn({ err: errText(err) }, `influxdb-client: ${message}`),
    warn: (message: string, err?: unknown) => clientLogTarget?.debug({ err: errText(err) }, `influxdb-client: ${message}`),
  })
}

function errText(err: unknown): string | undefined {
  if (err === undefined || err === null) return undefined
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message || err.name
  }
  return String(err)
}

export class Telemetry implements TelemetrySink {
  private api: WriteApi | undefined
  private state: 'new' | 'started' | 'stopped' = 'new'
  private readonly counters: TelemetryStats = { written: 0, failedAttempts: 0, dropped: 0 }
  private warnedNotStarted = false

  constructor(private readonly o: TelemetryOptions) {}

  async start(): Promise<void> {
    if (this.state !== 'new') return
    installClientLogger(this.o.logger)
    const log = this.o.logger
    const counters = this.counters
    const maxRetries = this.o.maxRetries ?? 5
    const url = this.o.url
    const maxBufferLines = this.o.maxBufferLines ?? 32_000
    const client = new InfluxDB({ url: this.o.url, ...(this.o.token ? { token: this.o.token } : {}), timeout: 5000 })
    this.api = client.getWriteApi(this.o.org, this.o.bucket, 'ms', {
      flushInterval: this.o.flushInterval_ms ?? 5000,
      batchSize: 1000,
      maxBufferLines,
      maxRetries,
      ...(this.o.minRetryDelay_ms !== undefined ? { minRetryDelay: this.o.minRetryDelay_ms } : {}),
      ...(this.o.maxRetryDelay_ms !== undefined ? { maxRetryDelay: this.o.maxRetryDelay_ms } : {}),
      ...(this.o.maxRetryTime_ms !== undefined ? { maxRetryTime: this.o.maxRetryTime_ms } : {}),
      writeFailed(error, lines, attempt) {
        counters.failedAttempts++
        const status = (error as { statusCode?: number }).statusCode
        // The client retries network errors and 429/5xx while attempts remain; 4xx other than 429 are final.
        const final = attempt > maxRetries || (status !== undefined && status < 429) || error.message === 'Max retry time exceeded.'
        if (final) counters.dropped += lines.length
        log?.warn({ url, attempt, lines: lines.length, status, reason: errText(error), willRetry: !final }, final ? 'telemetry write failed; lines dropped' : 'telemetry write failed; will retry')
        return undefined
      },
      writeSuccess(lines) {
        counters.written += lines.length
      },
      writeRetrySkipped(entry) {
        counters.dropped += entry.lines.length
        log?.warn({ lines: entry.lines.length, maxBufferLines }, 'telemetry retry buffer full; oldest lines dropped')
      },
    })
    this.state = 'started'
  }

  occupancy(zone: string, count: number, at?: Date): void {
    this.point('occupancy', { zone }, { count }, at, ['count'])
  }

  cameraFps(camera: string, fps: number, at?: Date): void {
    this.point('camera', { camera }, { fps }, at)
  }

  robotBattery(robot: string, pct: number, at?: Date): void {
    this.point('robot', { robot }, { battery_pct: pct }, at)
  }

  alertCount(severity: Severity, count: number, at?: Date): void {
    this.point('alerts', { severity }, { count }, at, ['count'])
  }

  point(measurement: string, tags: Tags, fields: Fields, at?: Date, intFields: readonly string[] = []): void {
    if (this.state !== 'started' || !this.api) {
      this.counters.dropped++
      if (!this.warnedNotStarted) {
        this.warnedNotStarted = true
        this.o.logger?.warn({ measurement, state: this.state }, 'telemetry point recorded while not started; dropped')
      }
      return
    }
    try {
      const p = new Point(measurement)
      for (const [k, v] of Object.entries(tags)) if (v !== '') p.tag(k, v)
      let any = false
      for (const [k, v] of Object.entries(fields)) {
        if (typeof v === 'number') {
          if (!Number.isFinite(v)) continue
          if (intFields.includes(k)) p.intField(k, Math.round(v))
          else p.floatField(k, v)
        } else if (typeof v === 'boolean') p.booleanField(k, v)
        else p.stringField(k, v)
        any = true
      }
      if (!any) {
        this.counters.dropped++
        this.o.logger?.debug({ measurement, tags }, 'telemetry point without a usable field; dropped')
        return
      }
      p.timestamp(at ?? new Date())
      this.api.writePoint(p)
    } catch (err) {
      this.counters.dropped++
      this.o.logger?.warn({ measurement, err: errText(err) }, 'telemetry point rejected')
    }
  }

  async flush(): Promise<void> {
    if (!this.api || this.state !== 'started') return
    try {
      // `true`: also try the lines waiting in the retry buffer now.
      await this.api.flush(true)
    } catch (err) {
      this.o.logger?.debug({ err: errText(err) }, 'telemetry flush did not complete; lines stay queued for retry')
    }
  }

  /**
   * Send what is buffered, including lines queued for retry (one attempt each), then close. Lines that
   * still could not be sent are dropped: logged and counted in `stats().dropped`.
   */
  async stop(): Promise<void> {
    const api = this.api
    if (this.state !== 'started' || !api) {
      this.state = 'stopped'
      return
    }
    await this.flush()
    this.state = 'stopped'
    this.api = undefined
    // dispose(): quit without another write attempt; returns the lines left in the write and retry buffers.
    const unsent = api.dispose()
    if (unsent > 0) {
      this.counters.dropped += unsent
      this.o.logger?.warn({ url: this.o.url, lines: unsent }, 'telemetry stopped with unsent lines; dropped')
    }
  }

  stats(): TelemetryStats {
    return { ...this.counters }
  }
}

/** Same interface, does nothing: used when no telemetry URL is configured. */
export class NullTelemetry implements TelemetrySink {
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async flush(): Promise<void> {}
  occupancy(_zone: string, _count: number, _at?: Date): void {}
  cameraFps(_camera: string, _fps: number, _at?: Date): void {}
  robotBattery(_robot: string, _pct: number, _at?: Date): void {}
  alertCount(_severity: Severity, _count: number, _at?: Date): void {}
  point(_measurement: string, _tags: Tags, _fields: Fields, _at?: Date, _intFields?: readonly string[]): void {}
  stats(): TelemetryStats {
    return { written: 0, failedAttempts: 0, dropped: 0 }
  }
}

/** `Telemetry` when a URL is configured, otherwise `NullTelemetry`. */
export function createTelemetry(o: Partial<TelemetryOptions> & { url?: string | undefined | null }): TelemetrySink {
  if (!o.url) return new NullTelemetry()
  return new Telemetry({ ...o, url: o.url, org: o.org ?? 'venue', bucket: o.bucket ?? 'venue' })
}
