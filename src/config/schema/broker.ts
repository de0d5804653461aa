import { z } from 'zod'
import { Listener } from './common.js'

export const BrokerConfig = z.strictObject({
  url: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\//, 'a broker URL starts with mqtt://, mqtts://, ws://, wss:// or tcp://')
    .optional()
    .describe('where the roles connect; default: the embedded broker\'s TCP listener. Set it to use Mosquitto, EMQX, ...'),
  tcp: Listener.default({ host: '127.0.0.1', port: 1883 }),
  ws: Listener.extend({ path: z.string().startsWith('/').default('/mqtt') })
    .optional()
    .describe('MQTT over WebSocket for browsers and firewalled clients'),
  dataDir: z.string().min(1).default('var/broker').describe('persistence folder (QoS 1 sessions, retained messages), relative to the venue file'),
  maxPayload_bytes: z.number().int().min(1024).max(268435455).default(262144),
  vda5050Interface: z.string().regex(/^[A-Za-z0-9_-]+$/).default('uagv').describe('VDA 5050 interfaceName, the first topic level'),
})
export type BrokerConfig = z.infer<typeof BrokerConfig>
