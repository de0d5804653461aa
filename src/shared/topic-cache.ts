/**
 * An answer per MQTT topic, computed once: a venue has a few hundred topics and every message asks.
 * Bounded, because a misbehaving peer could publish on endless topics: past `max` it starts over.
 */
export class TopicCache<V extends NonNullable<unknown>> {
  private readonly answers = new Map<string, V>()

  constructor(private readonly max = 10_000) {}

  get(topic: string, compute: (topic: string) => V): V {
    const known = this.answers.get(topic)
    if (known !== undefined) return known
    const v = compute(topic)
    if (this.answers.size >= this.max) this.answers.clear()
    this.answers.set(topic, v)
    return v
  }

  clear(): void {
    this.answers.clear()
  }
}
