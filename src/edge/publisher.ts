import type { PayloadInput, TopicKey, TopicParams } from '../contract/index.js'

/** Where the edge's messages go: the outbox (MQTT, with an on-disk queue while the broker is away). */
export interface Publisher {
  publish<K extends TopicKey>(key: K, params: TopicParams<K>, payload: PayloadInput<K>): Promise<void>
}
