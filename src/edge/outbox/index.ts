/** The edge node's outbox: contract messages to the broker, kept on disk while it cannot be reached (issue 4). */
export { Outbox, type OutboxOptions, type OutboxCounters, type DropKind } from './outbox.js'
export { OutboxRefused, contractMessage } from './message.js'
export { busLink, mqttLink, type Link } from './link.js'
export { DiskQueue, messageSize, type NewMessage, type QueuedMessage, type QueueBounds } from './queue.js'
