// VDA 5050 2.x building blocks shared by several topics.
//
// Written from the VDA 5050 2.0.0 / 2.1.0 specification text and the official JSON schemas
// (github.com/VDA5050/VDA5050, json_schemas/*.schema). Section numbers refer to the 2.x document.
// The official schemas never set `additionalProperties: false`, so nested objects here are plain
// `z.object`: a vendor extension field inside them is accepted (and dropped after parsing).
import { z } from 'zod'

/** Protocol version our roles write into the header; the schemas accept any 2.x.y (VDA 5050 6.4). */
export const VDA5050_VERSION = '2.0.0'

/** uint32 as used for headerId, orderUpdateId, sequenceId (VDA 5050 6.1.4). */
export const Uint32 = z.number().int().min(0).max(4_294_967_295)

/** A finite float64 (VDA 5050 6.1.4: NaN and infinity are not supported). */
export const Float64 = z.number()

/**
 * Bound used by the official schemas for "Range: [-Pi ... Pi]". Slightly above Math.PI so that a
 * value rounded to 11 decimals (3.14159265359) is still accepted.
 */
export const PI_BOUND = 3.14159265359

/** An angle in radians within [-Pi, Pi] (VDA 5050 6.6.5: orientations are within +Pi and -Pi). */
export const Theta = z.number().min(-PI_BOUND).max(PI_BOUND)

/** ISO 8601 timestamp, UTC by the standard: YYYY-MM-DDTHH:mm:ss.ffZ (VDA 5050 6.4). */
export const Timestamp = z.iso
  .datetime({ offset: true })
  .describe('Timestamp (ISO 8601, UTC), YYYY-MM-DDTHH:mm:ss.ffZ, e.g. "2017-04-15T11:40:03.12Z" (VDA 5050 6.4)')

/** Characters VDA 5050 6.3 allows in the serialNumber topic level. */
const SERIAL = /^[A-Za-z0-9_.:-]+$/
/** A topic level: no "/" (level separator), no MQTT wildcards, no "$" (VDA 5050 6.3). */
const TOPIC_LEVEL = /^[^/#+$\u0000]+$/

/** The header fields every VDA 5050 message starts with; the header is not a JSON object of its own (VDA 5050 6.4). */
export const headerFields = {
  headerId: Uint32.describe(
    'Header ID of the message, defined per topic and incremented by 1 with each sent (but not necessarily received) message (VDA 5050 6.4).',
  ),
  timestamp: Timestamp,
  version: z
    .string()
    .regex(/^2\.\d+\.\d+$/, 'VDA 5050 version 2.x.y')
    .describe('Version of the protocol [Major].[Minor].[Patch]; this contract speaks major version 2, e.g. "2.0.0" (VDA 5050 6.4).'),
  manufacturer: z
    .string()
    .min(1)
    .regex(TOPIC_LEVEL, 'manufacturer is a topic level: no "/", "+", "#" or "$"')
    .describe('Manufacturer of the vehicle; the same as the {manufacturer} topic level (VDA 5050 6.3, 6.4).'),
  serialNumber: z
    .string()
    .min(1)
    .regex(SERIAL, 'serialNumber uses A-Z a-z 0-9 _ . : - only')
    .describe('Serial number of the vehicle; the same as the {serialNumber} topic level: A-Z a-z 0-9 _ . : - (VDA 5050 6.3, 6.4).'),
}

/** The protocol header (VDA 5050 6.4) as an object schema, for code that handles any VDA message. */
export const Header = z.object(headerFields).describe('VDA 5050 protocol header (VDA 5050 6.4).')
export type Header = z.infer<typeof Header>

/** Build a header for a message we send now. */
export function vdaHeader(manufacturer: string, serialNumber: string, headerId: number, now: Date = new Date()): Header {
  return { headerId, timestamp: now.toISOString(), version: VDA5050_VERSION, manufacturer, serialNumber }
}

// ---- enumerations ----------------------------------------------------------------------------

export const BlockingType = z
  .enum(['NONE', 'SOFT', 'HARD'])
  .describe('NONE: allows driving and other actions; SOFT: allows other actions, but not driving; HARD: the only allowed action at that time (VDA 5050 6.12).')
export type BlockingType = z.infer<typeof BlockingType>

/** Actions predefined by VDA 5050 2.0 (6.8.1); vendors may define more, so actionType stays a free string. */
export const PREDEFINED_ACTION_TYPES = [
  'startPause',
  'stopPause',
  'startCharging',
  'stopCharging',
  'initPosition',
  'stateRequest',
  'logReport',
  'pick',
  'drop',
  'detectObject',
  'finePositioning',
  'waitForTrigger',
  'cancelOrder',
  'factsheetRequest',
] as const

// ---- positions and geometry ------------------------------------------------------------------

export const NodePosition = z
  .object({
    x: Float64.describe('X-position on the map in reference to the map coordinate system, in metres.'),
    y: Float64.describe('Y-position on the map in reference to the map coordinate system, in metres.'),
    theta: Theta.optional().describe(
      'Absolute orientation of the vehicle on the node, rad, range [-Pi, Pi]. Optional: the vehicle can plan the path by itself.',
    ),
    allowedDeviationXY: Float64.min(0)
      .optional()
      .describe('How exactly the vehicle has to pass the node for it to count as traversed: 0 = manufacturer tolerance, > 0 = deviation radius in metres.'),
    allowedDeviationTheta: z
      .number()
      .min(0)
      .max(PI_BOUND)
      .optional()
      .describe('How far theta may deviate, rad, range [0, Pi]: accepted angles are theta +/- allowedDeviationTheta.'),
    mapId: z.string().describe('Unique identification of the map in which the position is referenced.'),
    mapDescription: z.string().optional().describe('Additional information on the map.'),
  })
  .describe('Position of a node on a map in the project-specific world coordinate system (VDA 5050 6.7 nodePosition).')
export type NodePosition = z.infer<typeof NodePosition>

export const ControlPoint = z
  .object({
    x: Float64.describe('X coordinate in the world coordinate system, metres.'),
    y: Float64.describe('Y coordinate in the world coordinate system, metres.'),
    weight: Float64.min(0).optional().describe('The weight with which this control point pulls on the curve; 1.0 when not defined.'),
  })
  .describe('A NURBS control point (VDA 5050 6.7 controlPoint).')
export type ControlPoint = z.infer<typeof ControlPoint>

export const Trajectory = z
  .object({
    degree: z
      .number()
      .int()
      .min(1)
      .describe('Degree of the NURBS: the number of control points that influence any given point on the curve.'),
    knotVector: z
      .array(z.number().min(0).max(1))
      .describe('Parameter values in [0, 1] that determine where and how the control points affect the curve; size = control points + degree + 1.'),
    controlPoints: z.array(ControlPoint).describe('Control points of the NURBS, including the beginning and end point.'),
  })
  .describe('The path between two nodes as a NURBS curve (VDA 5050 6.7 trajectory).')
export type Trajectory = z.infer<typeof Trajectory>

export const AgvPosition = z
  .object({
    x: Float64.describe('X-position on the map, metres.'),
    y: Float64.describe('Y-position on the map, metres.'),
    theta: Float64.describe('Orientation of the vehicle, rad, range [-Pi, Pi].'),
    mapId: z.string().describe('Unique identification of the map in which the position is referenced.'),
    mapDescription: z.string().optional().describe('Additional information on the map.'),
    positionInitialized: z.boolean().describe('true: the position is initialised; false: it is not.'),
    localizationScore: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Quality of the localisation, 0.0 (position unknown) to 1.0 (position known); for logging and visualisation only.'),
    deviationRange: Float64.optional().describe('Deviation range of the position, metres; for logging and visualisation only.'),
  })
  .describe('Current position of the vehicle on the map (VDA 5050 6.10.6 agvPosition).')
export type AgvPosition = z.infer<typeof AgvPosition>

export const Velocity = z
  .object({
    vx: Float64.optional().describe('Velocity in the vehicle x direction, m/s.'),
    vy: Float64.optional().describe('Velocity in the vehicle y direction, m/s.'),
    omega: Float64.optional().describe('Turning speed around the vehicle z axis, rad/s.'),
  })
  .describe('The vehicle velocity in vehicle coordinates (VDA 5050 6.10.6 velocity).')
export type Velocity = z.infer<typeof Velocity>

export const BoundingBoxReference = z
  .object({
    x: Float64.describe('x-coordinate of the point of reference.'),
    y: Float64.describe('y-coordinate of the point of reference.'),
    z: Float64.describe('z-coordinate of the point of reference.'),
    theta: Float64.optional().describe('Orientation of the load bounding box; important for tuggers, trains, etc.'),
  })
  .describe('Centre of the bottom surface of the load bounding box, in vehicle coordinates (VDA 5050 6.10.6 boundingBoxReference).')
export type BoundingBoxReference = z.infer<typeof BoundingBoxReference>

export const LoadDimensions = z
  .object({
    length: Float64.describe('Absolute length of the load bounding box, metres.'),
    width: Float64.describe('Absolute width of the load bounding box, metres.'),
    height: Float64.optional().describe('Absolute height of the load bounding box, metres; only if known.'),
  })
  .describe('Dimensions of the load bounding box (VDA 5050 6.10.6 loadDimensions).')
export type LoadDimensions = z.infer<typeof LoadDimensions>

// ---- actions ---------------------------------------------------------------------------------

export const ActionParameter = z
  .object({
    key: z.string().min(1).describe('The key of the action parameter, e.g. "duration", "direction", "signal".'),
    value: z
      .union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
      .describe('The value of the action parameter: string, number, boolean, array or object.'),
  })
  .describe('One parameter of an action, e.g. deviceId, loadId, external triggers (VDA 5050 6.7 actionParameter).')
export type ActionParameter = z.infer<typeof ActionParameter>

export const Action = z
  .object({
    actionType: z
      .string()
      .min(1)
      .describe('Name of the action, a predefined one (VDA 5050 6.8.1, e.g. "pick", "startPause") or one the vendor defines in its factsheet.'),
    actionId: z.string().min(1).describe('Unique ID to map the action to its actionState in the state; UUIDs suggested.'),
    actionDescription: z.string().optional().describe('Additional information on the action.'),
    blockingType: BlockingType,
    actionParameters: z.array(ActionParameter).optional().describe('Parameters of the action, see "Actions and Parameters" (VDA 5050 6.8).'),
  })
  .describe('An action the vehicle can perform, on a node, on an edge or as an instant action (VDA 5050 6.7 action, 6.8).')
export type Action = z.infer<typeof Action>
