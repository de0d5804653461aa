import { decodeMatched, matchTopic, TOPICS } from '../contract/index.js'

export type Verdict = { ok: true } | { ok: false; reason: string }

/**
 * Contract check of one PUBLISH: a payload on a contract topic must satisfy its schema. An empty
 * retained payload is the MQTT way to clear a retained message [MQTT-3.3.1-10] and is let through.
 */
export function checkPayload(topic: string, payload: Buffer, retain: boolean, maxBytes: number): Verdict {
  if (payload.length > maxBytes) return { ok: false, reason: `payload of ${payload.length} bytes exceeds the limit of ${maxBytes}` }
  const match = matchTopic(topic)
  if (match === undefined) return { ok: true }
  if (payload.length === 0 && retain && TOPICS[match.key].retained) return { ok: true }
  const decoded = decodeMatched(match, payload)
  return decoded.ok ? { ok: true } : { ok: false, reason: `${decoded.key} payload invalid: ${decoded.error}` }
}
