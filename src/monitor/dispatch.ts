/**
 * A rule's response (issue 5 "A rule's response can ask the fleet for a robot"): the mission request
 * the monitor publishes for an alert whose rule says `dispatch: verify | patrol`.
 */
import type { Venue } from '../config/schema/venue.js'
import { stamp } from '../contract/envelope.js'
import type { Alert } from '../contract/venue/alerts.js'
import type { MissionRequest } from '../contract/venue/missions.js'

export type StartRequest = Extract<MissionRequest, { action: 'start' }>

/** The navigation node nearest to the alert's floor point, else one standing in the alert's zone. */
export function nodeFor(venue: Pick<Venue, 'navigation'>, alert: Pick<Alert, 'floor' | 'zone'>): string | null {
  const nodes = venue.navigation.nodes
  if (alert.floor !== null) {
    const [x, y] = alert.floor
    let best: { id: string; d: number } | null = null
    for (const n of nodes) {
      const d = Math.hypot(n.at[0] - x, n.at[1] - y)
      if (best === null || d < best.d) best = { id: n.id, d }
    }
    return best?.id ?? null
  }
  return nodes.find((n) => n.zone !== undefined && n.zone === alert.zone)?.id ?? null
}

export const dispatchRequestId = (alertId: string): string => `rq-${alertId}`.slice(0, 64)

/** The request to send a robot for an alert, or null when no node is near it. */
export function dispatchRequest(venue: Pick<Venue, 'navigation'>, alert: Alert, kind: 'verify' | 'patrol', now: number): StartRequest | null {
  const node = nodeFor(venue, alert)
  if (node === null) return null
  return {
    ...stamp(new Date(now)),
    action: 'start',
    requestId: dispatchRequestId(alert.id),
    kind,
    nodes: [node],
    rooms: [],
    alertId: alert.id,
    loop: false,
    snapshotAt: [],
    requestedBy: 'monitor',
  }
}
