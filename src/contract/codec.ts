import { TOPIC_KEYS, TOPICS, type Payload, type TopicKey, type TopicParams } from './topics.js'

const SEGMENT = /^[^/#+\u0000]+$/

function segments(pattern: string): string[] {
  return pattern.split('/')
}

/** Build a concrete topic. Throws when a parameter would break the topic's levels. */
export function topicOf<K extends TopicKey>(key: K, params: TopicParams<K>): string {
  const values = params as Record<string, string>
  return segments(TOPICS[key].pattern)
    .map((seg) => {
      if (!seg.startsWith('{')) return seg
      const name = seg.slice(1, -1)
      const v = values[name]
      if (v === undefined || !SEGMENT.test(v)) throw new Error(`topic ${key}: parameter ${name} must be one topic level, got ${JSON.stringify(v)}`)
      return v
    })
    .join('/')
}

/** A subscription filter: parameters left out (or given as `+`) become `+`. Throws like topicOf on a value that is not one level. */
export function filterOf<K extends TopicKey>(key: K, params: Partial<TopicParams<K>> = {}): string {
  const values = params as Record<string, string | undefined>
  return segments(TOPICS[key].pattern)
    .map((seg) => {
      if (!seg.startsWith('{')) return seg
      const name = seg.slice(1, -1)
      const v = values[name]
      if (v === undefined || v === '+') return '+'
      if (!SEGMENT.test(v)) throw new Error(`filter ${key}: parameter ${name} must be one topic level or "+", got ${JSON.stringify(v)}`)
      return v
    })
    .join('/')
}

export interface TopicMatch {
  key: TopicKey
  params: Record<string, string>
}

/** Which contract topic is this, and with which parameters? Undefined for topics outside the contract. */
export function matchTopic(topic: string): TopicMatch | undefined {
  const levels = topic.split('/')
  for (const key of TOPIC_KEYS) {
    const segs = segments(TOPICS[key].pattern)
    if (segs.length !== levels.length) continue
    const params: Record<string, string> = {}
    let ok = true
    for (let i = 0; i < segs.length && ok; i++) {
      const seg = segs[i]!
      const level = levels[i]!
      if (seg.startsWith('{')) {
        if (level === '') ok = false
        else params[seg.slice(1, -1)] = level
      } else if (seg !== level) ok = false
    }
    if (ok) return { key, params }
  }
  return undefined
}

export type Decoded<K extends TopicKey> = { ok: true; value: Payload<K> } | { ok: false; error: string }

/** Parse a payload received on a topic of kind `key`; never throws. */
export function decodePayload<K extends TopicKey>(key: K, payload: Uint8Array | string): Decoded<K> {
  let json: unknown
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'))
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` }
  }
  const result = TOPICS[key].schema.safeParse(json)
  if (!result.success) {
    const first = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    return { ok: false, error: first.join('; ') + (result.error.issues.length > 5 ? ` (+${result.error.issues.length - 5} more)` : '') }
  }
  return { ok: true, value: result.data as Payload<K> }
}

/** Serialise a payload after checking it against its schema: a role never sends what it would refuse. */
export function encodePayload<K extends TopicKey>(key: K, value: unknown): Buffer {
  const parsed = TOPICS[key].schema.parse(value)
  return Buffer.from(JSON.stringify(parsed))
}

export type DecodedMessage = { ok: true; key: TopicKey; params: Record<string, string>; value: unknown } | { ok: false; key: TopicKey; error: string }

/**
 * Decode a message received on any contract topic: schema, then the fields that must repeat the
 * topic's levels (a robot may not speak for another serial number in its header, an edge may not
 * report camera B on camera A's topic). Undefined for topics outside the contract.
 */
export function decodeMessage(topic: string, payload: Uint8Array | string): DecodedMessage | undefined {
  const match = matchTopic(topic)
  return match === undefined ? undefined : decodeMatched(match, payload)
}

/** `decodeMessage` for a topic already matched (the broker matches once for the ACL and the schema). */
export function decodeMatched(match: TopicMatch, payload: Uint8Array | string): DecodedMessage {
  const decoded = decodePayload(match.key, payload)
  if (!decoded.ok) return { ok: false, key: match.key, error: decoded.error }
  const mirrors = TOPICS[match.key].mirrors ?? {}
  const value = decoded.value as Record<string, unknown>
  for (const [param, field] of Object.entries(mirrors)) {
    // optional header fields (VDA 5050 visualization) are checked when present
    if (value[field] !== undefined && value[field] !== match.params[param]) {
      return { ok: false, key: match.key, error: `${field} "${String(value[field])}" does not match the topic's ${param} "${match.params[param]}"` }
    }
  }
  return { ok: true, key: match.key, params: match.params, value: decoded.value }
}
