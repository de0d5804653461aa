/**
 * A contract message made ready for the outbox: the topic built from its parameters, the payload
 * checked against its schema and encoded by the contract's codec, the fields that must repeat a topic
 * level checked (as the broker and every receiver will), and QoS and retain flag from the contract.
 * Anything wrong is refused here, before it can reach the queue, with `OutboxRefused` and the reasons.
 */
import { encodePayload, topicOf, TOPICS, type PayloadInput, type TopicKey, type TopicParams } from '../../contract/index.js'
import type { NewMessage } from './queue.js'

export class OutboxRefused extends Error {
  override readonly name = 'OutboxRefused'
}

export function contractMessage<K extends TopicKey>(key: K, params: TopicParams<K>, payload: PayloadInput<K>): NewMessage {
  const def = TOPICS[key]
  return { topic: refuseOnError(key, () => topicOf(key, params)), payload: encode(key, params, payload), qos: def.qos, retain: def.retained }
}

function refuseOnError<T>(key: TopicKey, f: () => T): T {
  try {
    return f()
  } catch (err) {
    throw new OutboxRefused(`outbox refused a ${key} message: ${describe(err)}`)
  }
}

/** Encode through the contract, and check the payload fields that must repeat the topic's levels. */
function encode<K extends TopicKey>(key: K, params: TopicParams<K>, payload: PayloadInput<K>): Buffer {
  const body = refuseOnError(key, () => encodePayload(key, payload))
  const mirrors: Readonly<Record<string, string>> = TOPICS[key].mirrors ?? {}
  const values = payload as Record<string, unknown>
  for (const [param, field] of Object.entries(mirrors)) {
    const want = (params as Record<string, string>)[param]
    if (values[field] !== undefined && values[field] !== want) {
      throw new OutboxRefused(`outbox refused a ${key} message: ${field} "${String(values[field])}" does not match the topic's ${param} "${want}"`)
    }
  }
  return body
}

function describe(err: unknown): string {
  const issues = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues
  if (Array.isArray(issues)) {
    const first = issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    return first.join('; ') + (issues.length > 5 ? ` (+${issues.length - 5} more)` : '')
  }
  return err instanceof Error ? err.message : String(err)
}

