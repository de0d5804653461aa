/**
 * What the simulated world is made of, as the simulated cameras and the scenario runner see it.
 * Times are sim time, epoch ms; positions are floor metres.
 */

export type PersonKind = 'expert' | 'staff' | 'visitor'

export interface SimPerson {
  /** Stable id of the agent, e.g. "p-sub-aaaa1111" or "p-visitor-3"; never published. */
  id: string
  kind: PersonKind
  /** The pseudonymous subject id a camera would recognise, or null for someone not enrolled. */
  subject: string | null
  floor: [number, number]
  /** Zone id of the floor point, or null. */
  zone: string | null
  /** Heading, rad (0 = +x), for cameras that care which way a face looks. */
  heading: number
  /** Presenting a photo or a screen instead of a live face (a spoof at check-in). */
  spoof: boolean
  /** In the venue (false before arrival and after leaving: cameras see nothing). */
  present: boolean
}

/** A change to the world at a sim time, as a scenario's timeline names it. */
export type Deviation =
  | { kind: 'wrong_room'; subject: string; room: string; for_s: number }
  | { kind: 'cross_project_meeting'; subjects: [string, string]; zone: string; for_s: number }
  | { kind: 'tailgate'; behind: string }
  | { kind: 'leave_early'; subject: string }
  | { kind: 'photo_at_checkin'; subject: string }
  | { kind: 'intruder'; zone: string; for_s: number }
  | { kind: 'camera_covered'; camera: string; for_s: number }
  | { kind: 'robot_breakdown'; robot: string }
