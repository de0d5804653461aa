/**
 * What the outbox needs of a broker connection, and the adapter from a started `Bus` (or any
 * MQTT.js client) to it. The adapter makes MQTT.js refuse QoS 0 while offline instead of keeping it
 * in its unbounded in-memory queue (the outbox only publishes while connected, and keeps the rest on
 * disk), and fails a QoS 0 write still buffered when the socket closes, so the outbox can keep it.
 * QoS 1 publishes in flight when the connection drops stay with MQTT.js, which resends them first
 * on reconnect (before it emits 'connect'); their promise settles with the PUBACK.
 */
import type { MqttClient } from 'mqtt'
import type { Bus } from '../../contract/index.js'

export interface Link {
  readonly connected: boolean
  /** Resolves on the PUBACK (QoS 1) or once written to the socket (QoS 0); rejects when not connected. */
  publish(topic: string, payload: Buffer, opts: { qos: 0 | 1; retain: boolean }): Promise<void>
  /** Returns a function that removes the listener. */
  onConnect(cb: () => void): () => void
  onDisconnect(cb: () => void): () => void
}

/** The outbox's link over a started Bus: its MQTT.js client, which must reconnect by itself. */
export function busLink(bus: Bus): Link {
  return mqttLink(bus.raw)
}

export function mqttLink(client: MqttClient): Link {
  const period = client.options.reconnectPeriod ?? 0
  if (!(period > 0)) throw new Error('outbox: the MQTT client must reconnect by itself (reconnectPeriod > 0)')
  client.queueQoSZero = false
  const unwritten = new Set<(err: Error) => void>()
  client.on('close', () => {
    const fails = [...unwritten]
    unwritten.clear()
    for (const fail of fails) fail(new Error('connection closed before the message was written'))
  })
  return {
    get connected() {
      return client.connected
    },
    publish(topic, payload, { qos, retain }) {
      return new Promise<void>((resolve, reject) => {
        if (!client.connected) {
          reject(new Error('not connected to the broker'))
          return
        }
        let settled = false
        const settle = (err: Error | undefined) => {
          if (settled) return
          settled = true
          unwritten.delete(settle)
          if (err === undefined) resolve()
          else reject(err)
        }
        if (qos === 0) unwritten.add(settle)
        client.publish(topic, payload, { qos, retain }, (err) => settle(err ?? undefined))
      })
    },
    onConnect(cb) {
      const h = () => cb()
      client.on('connect', h)
      return () => client.off('connect', h)
    },
    onDisconnect(cb) {
      const h = () => cb()
      client.on('close', h)
      return () => client.off('close', h)
    },
  }
}
