import { z } from 'zod'

export const TelemetryConfig = z.strictObject({
  url: z.url().optional().describe('InfluxDB v2 write API base URL (or anything speaking it, e.g. VictoriaMetrics); none: telemetry off'),
  org: z.string().min(1).default('venue'),
  bucket: z.string().min(1).default('venue'),
  tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('VENUE_INFLUX_TOKEN').describe('environment variable holding the API token'),
  interval_s: z.number().min(1).max(3600).default(10).describe('how often occupancy and alert counts are written'),
})
export type TelemetryConfig = z.infer<typeof TelemetryConfig>

export const MonitorConfig = z.strictObject({
  dataDir: z.string().min(1).default('var/monitor').describe('folder of the store (SQLite), relative to the venue file'),
  tracksInterval_ms: z.number().int().min(50).max(10_000).default(250).describe('how often venue tracks are published'),
  maxSpeed_mps: z.number().positive().max(10).default(2.5).describe('fastest plausible walk, for joining sightings across cameras'),
  tolerance_m: z.number().min(0).max(10).default(1).describe('position error allowed for calibration'),
  lost_s: z.number().positive().max(600).default(10).describe('a track not seen this long has ended'),
  view_s: z
    .number()
    .positive()
    .max(60)
    .optional()
    .describe('a track counts as in view (and the rules judge it) this long after its last sighting (default 2 s, or lost_s if shorter); raise it for cameras analysed at a low frame rate'),
  telemetry: TelemetryConfig.default(TelemetryConfig.parse({})),
}).refine((m) => m.view_s === undefined || m.view_s <= m.lost_s, { message: 'view_s must not exceed lost_s: a track would end while still in view', path: ['view_s'] })
export type MonitorConfig = z.infer<typeof MonitorConfig>
