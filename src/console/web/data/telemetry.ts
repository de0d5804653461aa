import { isRecord } from './narrow.js'

/**
 * Telemetry series, whatever shape GET /api/telemetry answers in. Only this module knows it:
 * columns {t:[...], occupancy:[...], ...} (optionally under `series`), or rows [{t|at|time, ...}].
 * Times become epoch seconds (uPlot's unit); non-numeric values become gaps.
 */
export interface Series { t: number[]; values: Map<string, (number | null)[]> }

const TIME_KEYS = ['t', 'at', 'time', 'timestamp']

function seconds(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e11 ? v / 1000 : v
  if (typeof v === 'string') {
    const t = Date.parse(v)
    return Number.isFinite(t) ? t / 1000 : null
  }
  return null
}

function numeric(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

export function emptySeries(): Series {
  return { t: [], values: new Map() }
}

/** Append one row sample (from the live feed, or a row of the history). */
export function appendSample(s: Series, row: Record<string, unknown>): void {
  const key = TIME_KEYS.find((k) => row[k] !== undefined)
  const t = key === undefined ? Date.now() / 1000 : seconds(row[key])
  if (t === null) return
  const n = s.t.length
  s.t.push(t)
  for (const [name, v] of Object.entries(row)) {
    if (TIME_KEYS.includes(name)) continue
    if (isRecord(v) && numeric(v['total']) !== null) {
      column(s, name, n).push(numeric(v['total']))
      continue
    }
    if (isRecord(v)) {
      // nested groups ({cam-1: 5, cam-2: 4}) are summed: a small chart shows the total
      const parts = Object.values(v).map(numeric).filter((x): x is number => x !== null)
      if (parts.length > 0) column(s, name, n).push(parts.reduce((a, b) => a + b, 0))
      continue
    }
    const x = numeric(v)
    if (x !== null) column(s, name, n).push(x)
  }
  for (const col of s.values.values()) while (col.length < s.t.length) col.push(null)
}

function column(s: Series, name: string, n: number): (number | null)[] {
  let col = s.values.get(name)
  if (col === undefined) {
    col = new Array<number | null>(n).fill(null)
    s.values.set(name, col)
  }
  return col
}

export function parseTelemetry(v: unknown): Series {
  const s = emptySeries()
  const body = isRecord(v) ? (v['series'] ?? v['samples'] ?? v) : v
  if (Array.isArray(body)) {
    for (const row of body) if (isRecord(row)) appendSample(s, row)
    return s
  }
  if (!isRecord(body)) return s
  const tKey = TIME_KEYS.find((k) => Array.isArray(body[k]))
  if (tKey === undefined) return s
  const ts = body[tKey] as unknown[]
  for (const x of ts) s.t.push(seconds(x) ?? NaN)
  for (const [name, col] of Object.entries(body)) {
    if (name === tKey || !Array.isArray(col)) continue
    s.values.set(name, ts.map((_, i) => numeric(col[i])))
  }
  // drop rows whose time could not be read
  const keep = s.t.map((t) => Number.isFinite(t))
  if (keep.every(Boolean)) return s
  s.t = s.t.filter((_, i) => keep[i])
  for (const [name, col] of s.values) s.values.set(name, col.filter((_, i) => keep[i]))
  return s
}

/**
 * Keep the last `hours` only, so a page left open for days does not grow without end. Reckoned
 * from the newest sample: the venue may run on a sim clock far from the browser's.
 */
export function trim(s: Series, hours: number): void {
  const from = (s.t[s.t.length - 1] ?? 0) - hours * 3600
  let k = 0
  while (k < s.t.length && (s.t[k] ?? 0) < from) k++
  if (k === 0) return
  s.t.splice(0, k)
  for (const col of s.values.values()) col.splice(0, k)
}
