/** Mission requests checked against the venue, and mission state published on the contract. */
import type { Venue } from '../config/schema/venue.js'
import type { Bus } from '../contract/bus.js'
import { stamp } from '../contract/envelope.js'
import type { MissionRequest } from '../contract/venue/missions.js'
import type { NavGraph } from './graph.js'
import { CAN_RUN, progressOf, type Mission } from './missions.js'
import type { Places } from './places.js'

/** Why a start request cannot be run here, in words, or null when it can. */
export function validateRequest(venue: Pick<Venue, 'robots'>, graph: NavGraph, places: Places, r: Extract<MissionRequest, { action: 'start' }>): string | null {
  if (r.robot !== undefined) {
    const robot = venue.robots.find((x) => x.id === r.robot)
    if (robot === undefined) return `no robot "${r.robot}" in this venue`
    if (!CAN_RUN[r.kind].includes(robot.kind)) return `robot ${robot.id} is a ${robot.kind} robot and cannot run a ${r.kind} mission`
  }
  if (!venue.robots.some((x) => CAN_RUN[r.kind].includes(x.kind))) return `no robot of a kind that runs ${r.kind} missions (${CAN_RUN[r.kind].join(', ')})`
  const unknown = r.nodes.filter((n) => !graph.nodes.has(n))
  if (unknown.length > 0) return `unknown navigation node(s): ${unknown.join(', ')}`
  if ((r.kind === 'patrol' || r.kind === 'verify') && r.nodes.length === 0) return `a ${r.kind} mission needs nodes`
  if (r.kind === 'delivery') {
    if (r.rooms.length === 0) return 'a delivery mission needs rooms'
    const noHatch = r.rooms.filter((room) => places.nodeIn(room) === null)
    if (noHatch.length > 0) return `no navigation node in room(s) ${noHatch.join(', ')}: the robot cannot reach their hatch`
    if (places.nodeOfKind('kitchen') === null) return 'the navigation graph has no node in a kitchen zone'
  }
  return null
}

export function publishMission(bus: Bus | undefined, site: string, m: Mission, now: number, onError: (err: unknown) => void): void {
  const robots = [...m.active]
  bus
    ?.publish(
      'missionState',
      { site, missionId: m.id },
      {
        ...stamp(new Date(now)),
        missionId: m.id,
        requestId: m.requestId,
        kind: m.kind,
        robot: robots[0] ?? m.delivered.at(-1)?.robot ?? m.robot,
        state: m.state,
        step: m.step.slice(0, 200),
        progress: Math.min(1, progressOf(m)),
        startedAt: m.startedAt,
        endedAt: m.endedAt,
        ...(m.reason === undefined ? {} : { reason: m.reason }),
      },
    )
    .catch(onError)
}
