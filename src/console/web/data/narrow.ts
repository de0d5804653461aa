/**
 * Narrowing of outside JSON (API answers, WebSocket messages). The page trusts nothing it did not
 * check: a field of the wrong type becomes a parse failure, never a crash in a draw loop.
 */

export type Json = Record<string, unknown>

export class ParseError extends Error {}

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function record(v: unknown, what: string): Json {
  if (!isRecord(v)) throw new ParseError(`${what}: not an object`)
  return v
}

export function str(o: Json, key: string): string {
  const v = o[key]
  if (typeof v !== 'string') throw new ParseError(`${key}: not a string`)
  return v
}

export function optStr(o: Json, key: string): string | null {
  const v = o[key]
  return typeof v === 'string' ? v : null
}

export function num(o: Json, key: string): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParseError(`${key}: not a number`)
  return v
}

export function optNum(o: Json, key: string): number | null {
  const v = o[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

export function bool(o: Json, key: string, dflt = false): boolean {
  const v = o[key]
  return typeof v === 'boolean' ? v : dflt
}

export function arr(o: Json, key: string): unknown[] {
  const v = o[key]
  return Array.isArray(v) ? v : []
}

export function strings(o: Json, key: string): string[] {
  return arr(o, key).filter((x): x is string => typeof x === 'string')
}

export type XY = readonly [number, number]

export function point(v: unknown): XY | null {
  if (!Array.isArray(v) || v.length < 2) return null
  const [x, y] = v as unknown[]
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null
}

export function points(v: unknown): XY[] {
  if (!Array.isArray(v)) return []
  const out: XY[] = []
  for (const p of v) {
    const q = point(p)
    if (q !== null) out.push(q)
  }
  return out
}

export function oneOf<T extends string>(o: Json, key: string, allowed: readonly T[], dflt: T): T {
  const v = o[key]
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : dflt
}

/** Parse each element, dropping the ones that fail: one bad record must not hide the rest. */
export function each<T>(items: unknown[], parse: (v: unknown) => T): T[] {
  const out: T[] = []
  for (const item of items) {
    try {
      out.push(parse(item))
    } catch (err) {
      if (!(err instanceof ParseError)) throw err
    }
  }
  return out
}

/** ISO timestamp to epoch ms; null when absent or unreadable. */
export function time(o: Json, key: string): number | null {
  const v = o[key]
  if (typeof v !== 'string') return null
  const t = Date.parse(v)
  return Number.isFinite(t) ? t : null
}
