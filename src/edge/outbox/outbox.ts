/**
 * The edge node's delivery to the broker that loses nothing it holds (issue 4). `publish` checks a
 * message against the contract, then sends it directly while the connection is up and nothing waits
 * on disk; otherwise it goes to the bounded SQLite queue, and a drain sends the queue in order once
 * connected. New messages queue behind old ones until the queue is empty, so order is never changed.
 * What the bounds forced out is counted per topic kind (`counters()`, and `statusFigures()` for the
 * edge status message).
 *
 * Guarantees and limits: a queued QoS 1 row is deleted only after its PUBACK, a QoS 0 row once written
 * to the socket (MQTT gives QoS 0 nothing more); rows survive a restart (at-least-once: rows delivered
 * but not yet deleted when the process dies are sent again). A QoS 0 message written to a socket that
 * then dies, or a direct QoS 1 message in MQTT.js's memory when the process dies, is beyond reach.
 * After a reconnect the drain waits `drainDelay_ms` so subscribers that lost the broker too are back:
 * the broker drops QoS 0 messages for a subscriber that is not connected.
 */
import { matchTopic, type PayloadInput, type TopicKey, type TopicParams } from '../../contract/index.js'
import { contractMessage } from './message.js'
import { DiskQueue, type NewMessage, type QueuedMessage } from './queue.js'
import type { Link } from './link.js'

export interface OutboxOptions {
  /** The SQLite file of the queue; reopened after a restart, its messages are sent first. */
  file: string
  /** Default 100,000 messages. */
  maxRows?: number
  /** Payloads plus topics; default 200 MB. */
  maxBytes?: number
  /** Wait after a (re)connect before draining the backlog; default 2000 (the Bus reconnects every 1 s). */
  drainDelay_ms?: number
  /** Rows read and deleted per transaction while draining; default 500. */
  batchSize?: number
  /** QoS 1 messages awaiting their PUBACK at once; default 64. */
  window?: number
  now?: () => number
}

export type DropKind = TopicKey | 'other'

export interface OutboxCounters {
  /** Messages waiting on disk, and their bytes. */
  queued: number
  queuedBytes: number
  /** Messages the bounds forced out since the outbox opened, in all and per topic kind. */
  dropped: number
  droppedByKind: Partial<Record<DropKind, number>>
  /** Messages handed to the broker: PUBACKed (QoS 1) or written (QoS 0); `drained` of them from disk. */
  delivered: number
  drained: number
  /** Direct publishes not yet PUBACKed or written. */
  inFlight: number
}

export class Outbox {
  private readonly queue: DiskQueue
  private readonly now: () => number
  private readonly drainDelay_ms: number
  private readonly batchSize: number
  private readonly window: number
  private link: Link | undefined
  private unlisten: Array<() => void> = []
  private connectedAt = 0
  private draining: Promise<void> | undefined
  private closed = false
  /** End the drain's wait for a reconnect delay (on disconnect, detach, close). */
  private wakeSleep: (() => void) | undefined
  /** End the drain's wait for PUBACKs (on detach and close only: MQTT.js resends them after a reconnect). */
  private wakeAcks: (() => void) | undefined
  private directQos0 = 0
  private directQos1 = 0
  private dropped = 0
  private readonly droppedByKind: Partial<Record<DropKind, number>> = {}
  private delivered = 0
  private drained = 0
  private readonly idleWaiters: Array<() => void> = []

  constructor(opts: OutboxOptions) {
    this.queue = new DiskQueue(opts.file, { maxRows: opts.maxRows ?? 100_000, maxBytes: opts.maxBytes ?? 200 * 1024 * 1024 })
    this.now = opts.now ?? Date.now
    this.drainDelay_ms = opts.drainDelay_ms ?? 2000
    this.batchSize = opts.batchSize ?? 500
    this.window = opts.window ?? 64
  }

  /** Start using a connection. Until then (and while it is down) everything is queued. */
  attach(link: Link): void {
    if (this.closed) throw new Error('outbox is closed')
    this.detach()
    this.link = link
    this.connectedAt = this.now()
    this.unlisten = [
      link.onConnect(() => {
        this.connectedAt = this.now()
        this.kick()
      }),
      link.onDisconnect(() => this.wakeSleep?.()),
    ]
    this.kick()
  }

  detach(): void {
    for (const off of this.unlisten.splice(0)) off()
    this.link = undefined
    this.wakeSleep?.()
    this.wakeAcks?.()
  }

  /** Check a message against the contract and send or queue it; rejects with `OutboxRefused` when invalid. */
  async publish<K extends TopicKey>(key: K, params: TopicParams<K>, payload: PayloadInput<K>): Promise<void> {
    if (this.closed) throw new Error('outbox is closed')
    const m = contractMessage(key, params, payload)
    const link = this.link
    if (link !== undefined && link.connected && this.queue.rows === 0 && this.draining === undefined && this.directQos0 === 0 && this.directQos1 < this.window) {
      this.direct(link, m)
    } else {
      this.count(this.queue.append(m, this.now()))
      this.kick()
    }
  }

  counters(): OutboxCounters {
    return {
      queued: this.queue.rows,
      queuedBytes: this.queue.bytes,
      dropped: this.dropped,
      droppedByKind: { ...this.droppedByKind },
      delivered: this.delivered,
      drained: this.drained,
      inFlight: this.directQos0 + this.directQos1,
    }
  }

  /** The `queued` and `dropped` fields of the edge status message. */
  statusFigures(): { queued: number; dropped: number } {
    return { queued: this.queue.rows, dropped: this.dropped }
  }

  /** Resolves once nothing waits on disk or in flight; rejects after `timeout_ms`. */
  idle(timeout_ms = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`outbox not idle after ${timeout_ms} ms: ${JSON.stringify(this.counters())}`)), timeout_ms)
      const check = () => {
        if (this.isIdle()) {
          clearTimeout(timer)
          resolve()
        } else this.idleWaiters.push(check)
      }
      check()
    })
  }

  /** Stop draining and close the file; what is queued stays for the next open. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.detach()
    await this.draining
    this.queue.close()
  }

  private isIdle(): boolean {
    return this.queue.rows === 0 && this.draining === undefined && this.directQos0 + this.directQos1 === 0
  }

  private notify(): void {
    for (const w of this.idleWaiters.splice(0)) w()
  }

  private count(droppedTopics: string[]): void {
    for (const topic of droppedTopics) {
      const kind: DropKind = matchTopic(topic)?.key ?? 'other'
      this.droppedByKind[kind] = (this.droppedByKind[kind] ?? 0) + 1
      this.dropped++
    }
  }

  /** Send now; a message the connection fails to take goes back to the head of the queue. */
  private direct(link: Link, m: NewMessage): void {
    const qos1 = m.qos === 1
    if (qos1) this.directQos1++
    else this.directQos0++
    const done = () => {
      if (qos1) this.directQos1--
      else this.directQos0--
    }
    link.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }).then(
      () => {
        done()
        this.delivered++
        this.notify()
      },
      () => {
        done()
        if (this.queue.open) this.count(this.queue.prepend([m], this.now()))
        else this.count([m.topic])
        this.kick()
        this.notify()
      },
    )
  }

  private kick(): void {
    if (this.draining !== undefined || this.closed) return
    const link = this.link
    if (link === undefined || !link.connected || this.queue.rows === 0) return
    this.draining = this.drain(link).finally(() => {
      this.draining = undefined
      this.kick()
      this.notify()
    })
  }

  private async drain(link: Link): Promise<void> {
    while (!this.closed && this.link === link && link.connected && this.queue.rows > 0) {
      const wait = this.connectedAt + this.drainDelay_ms - this.now()
      if (wait > 0) await this.sleep(wait)
      else await this.drainBatch(link, this.queue.peek(this.batchSize))
    }
  }

  /** Send one batch in order, then delete what was delivered in one transaction. */
  private async drainBatch(link: Link, rows: QueuedMessage[]): Promise<void> {
    const last = rows[rows.length - 1]
    if (last === undefined) return
    this.queue.protectedThrough = last.seq
    const delivered: number[] = []
    const inFlight = new Set<Promise<void>>()
    let refused = false
    const stop = () => refused || this.closed || this.link !== link || !link.connected
    try {
      for (const row of rows) {
        if (stop()) break
        const sent = link.publish(row.topic, row.payload, { qos: row.qos, retain: row.retain })
        if (row.qos === 0) {
          // one QoS 0 write at a time: a write that fails is the last thing sent, so resending it keeps order
          let ok = false
          await this.untilDetached(link, sent.then(() => void (ok = true), () => undefined))
          if (!ok) break
          delivered.push(row.seq)
        } else {
          // a refused QoS 1 message stays queued: send nothing after it, or it would be overtaken
          const p: Promise<void> = sent.then(
            () => void delivered.push(row.seq),
            () => void (refused = true),
          ).finally(() => inFlight.delete(p))
          inFlight.add(p)
          if (inFlight.size >= this.window) await this.untilDetached(link, Promise.race(inFlight))
        }
      }
      // in-flight QoS 1 messages stay with MQTT.js across a reconnect and settle with their PUBACK
      if (inFlight.size > 0) await this.untilDetached(link, Promise.all(inFlight))
    } finally {
      this.queue.protectedThrough = 0
      if (this.queue.open) {
        const n = this.queue.remove(delivered)
        this.delivered += n
        this.drained += n
      }
    }
  }

  /** Wait for `p`, or until the link is detached (at once if it already is). */
  private untilDetached(link: Link, p: Promise<unknown>): Promise<void> {
    if (this.link !== link) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.wakeAcks = resolve
      p.then(() => resolve(), () => resolve())
    }).then(() => {
      this.wakeAcks = undefined
    })
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      this.wakeSleep = () => {
        clearTimeout(timer)
        resolve()
      }
    }).then(() => {
      this.wakeSleep = undefined
    })
  }
}
