import type { z } from 'zod'
import { CameraStatus, EdgeStatus } from './venue/status.js'
import { Sightings } from './venue/sightings.js'
import { Tracks } from './venue/tracks.js'
import { Alert, AlertAction } from './venue/alerts.js'
import { MissionRequest, MissionState, RobotStatus } from './venue/missions.js'
import { Snapshot, SnapshotRequest } from './venue/snapshots.js'
import { Connection, Factsheet, InstantActions, Order, State, Visualization } from './vda5050/index.js'

/** First levels of every venue topic: `venue/v1/{site}/...` (DESIGN.md "Topics"). */
export const VENUE_ROOT = 'venue/v1'
/** VDA 5050 2.x topic layout: `{interface}/{majorVersion}/{manufacturer}/{serialNumber}/{topic}` (VDA 5050 6.1). */
export const VDA5050_MAJOR = 'v2'

export interface TopicDef<S extends z.ZodType = z.ZodType, P extends string = string> {
  pattern: P
  family: 'venue' | 'vda5050'
  schema: S
  retained: boolean
  qos: 0 | 1
  description: string
  /** Payload fields that must equal a topic level, e.g. a sighting's `camera` and its topic's `{camera}`. */
  mirrors?: Readonly<Record<string, string>>
}

/** VDA 5050 6.4: the header's manufacturer and serialNumber are those of the topic. */
const VDA_HEADER_MIRRORS = { manufacturer: 'manufacturer', serialNumber: 'serialNumber' } as const

function def<const P extends string, S extends z.ZodType>(d: TopicDef<S, P>): TopicDef<S, P> {
  return d
}

/** Every topic the roles speak; nothing else defines a topic. */
export const TOPICS = {
  edgeStatus: def({
    pattern: 'venue/v1/{site}/edge/{node}/status',
    family: 'venue',
    schema: EdgeStatus,
    retained: true,
    qos: 1,
    description: 'Edge node presence and queue figures; last will "offline".',
    mirrors: { node: 'node' },
  }),
  cameraStatus: def({
    pattern: 'venue/v1/{site}/cameras/{camera}/status',
    family: 'venue',
    schema: CameraStatus,
    retained: true,
    qos: 1,
    description: 'Camera health: online / stalled / frozen / dark / tampered / offline, fps, last frame time.',
    mirrors: { camera: 'camera' },
  }),
  cameraSightings: def({
    pattern: 'venue/v1/{site}/cameras/{camera}/sightings',
    family: 'venue',
    schema: Sightings,
    retained: false,
    qos: 0,
    description: 'One message per processed frame: the tracks in view with identity, liveness and quality.',
    mirrors: { camera: 'camera' },
  }),
  snapshotRequest: def({
    pattern: 'venue/v1/{site}/cameras/{camera}/snapshot-requests',
    family: 'venue',
    schema: SnapshotRequest,
    retained: false,
    qos: 1,
    description: 'Ask the edge serving a camera for the JPEG behind a sighting (monitor, console to edge).',
    mirrors: { camera: 'camera' },
  }),
  snapshot: def({
    pattern: 'venue/v1/{site}/cameras/{camera}/snapshot',
    family: 'venue',
    schema: Snapshot,
    retained: false,
    qos: 1,
    description: 'A JPEG frame of a camera, answering a snapshot request (edge to monitor, console).',
    mirrors: { camera: 'camera' },
  }),
  tracks: def({
    pattern: 'venue/v1/{site}/tracks',
    family: 'venue',
    schema: Tracks,
    retained: false,
    qos: 0,
    description: 'Monitor output: venue-level person tracks on the floor plan.',
  }),
  alert: def({
    pattern: 'venue/v1/{site}/alerts/{alertId}',
    family: 'venue',
    schema: Alert,
    retained: true,
    qos: 1,
    description: 'One alert; retained while open or acknowledged, cleared when resolved.',
    mirrors: { alertId: 'id' },
  }),
  alertAction: def({
    pattern: 'venue/v1/{site}/commands/alerts',
    family: 'venue',
    schema: AlertAction,
    retained: false,
    qos: 1,
    description: 'Acknowledge or resolve an alert (console to monitor).',
  }),
  missionRequest: def({
    pattern: 'venue/v1/{site}/missions/requests',
    family: 'venue',
    schema: MissionRequest,
    retained: false,
    qos: 1,
    description: 'Start or cancel a robot mission (console, monitor rules, schedules to fleet).',
  }),
  missionState: def({
    pattern: 'venue/v1/{site}/missions/{missionId}/state',
    family: 'venue',
    schema: MissionState,
    retained: true,
    qos: 1,
    description: 'Latest state of one mission (fleet).',
    mirrors: { missionId: 'missionId' },
  }),
  robotStatus: def({
    pattern: 'venue/v1/{site}/robots/{robot}/status',
    family: 'venue',
    schema: RobotStatus,
    retained: true,
    qos: 1,
    description: 'Fleet summary of one robot: connection, mode, battery, position, mission.',
    mirrors: { robot: 'robot' },
  }),
  vdaOrder: def({
    pattern: '{interface}/v2/{manufacturer}/{serialNumber}/order',
    family: 'vda5050',
    schema: Order,
    retained: false,
    qos: 0,
    description: 'VDA 5050 6.6 order, master control to vehicle.',
    mirrors: VDA_HEADER_MIRRORS,
  }),
  vdaInstantActions: def({
    pattern: '{interface}/v2/{manufacturer}/{serialNumber}/instantActions',
    family: 'vda5050',
    schema: InstantActions,
    retained: false,
    qos: 0,
    description: 'VDA 5050 6.9 instant actions, master control to vehicle.',
    mirrors: VDA_HEADER_MIRRORS,
  }),
  vdaState: def({
    pattern: '{interface}/v2/{manufacturer}/{serialNumber}/state',
    family: 'vda5050',
    schema: State,
    retained: false,
    qos: 0,
    description: 'VDA 5050 6.10 vehicle state.',
    mirrors: VDA_HEADER_MIRRORS,
  }),
  vdaVisualization: def({
    pattern: '{interface}/v2/{manufacturer}/{serialNumber}/visualization',
    family: 'vda5050',
    schema: Visualization,
    retained: false,
    qos: 0,
    description: 'VDA 5050 6.13 position for visualisation, at a higher rate than state.',
    mirrors: VDA_HEADER_MIRRORS,
  }),
  vdaConnection: def({
    pattern: '{interface}/v2/{manufacturer}/{serialNumber}/connection',
    family: 'vda5050',
    schema: Connection,
    retained: true,
    qos: 1,
    description: 'VDA 5050 6.14 connection state; retained, last will CONNECTIONBROKEN.',
    mirrors: VDA_HEADER_MIRRORS,
  }),
  vdaFactsheet: def({
    pattern: '{interface}/v2/{manufacturer}/{serialNumber}/factsheet',
    family: 'vda5050',
    schema: Factsheet,
    retained: true,
    qos: 0,
    description: 'VDA 5050 6.15 factsheet: the vehicle type\'s capabilities.',
    mirrors: VDA_HEADER_MIRRORS,
  }),
} as const

export type Topics = typeof TOPICS
export type TopicKey = keyof Topics
export type Payload<K extends TopicKey> = z.output<Topics[K]['schema']>
/** What a sender may write (defaults still to be applied). */
export type PayloadInput<K extends TopicKey> = z.input<Topics[K]['schema']>

type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never
export type TopicParams<K extends TopicKey> = { [N in ParamNames<Topics[K]['pattern']>]: string }

export const TOPIC_KEYS = Object.keys(TOPICS) as TopicKey[]
