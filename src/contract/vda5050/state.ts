// VDA 5050 2.x topic "state", vehicle to master control (VDA 5050 6.10, 6.11).
import { z } from 'zod'
import {
  AgvPosition,
  BoundingBoxReference,
  Float64,
  headerFields,
  LoadDimensions,
  NodePosition,
  Trajectory,
  Uint32,
  Velocity,
} from './common.js'

export const OperatingMode = z
  .enum(['AUTOMATIC', 'SEMIAUTOMATIC', 'MANUAL', 'SERVICE', 'TEACHIN'])
  .describe(
    'AUTOMATIC: under full control of master control; SEMIAUTOMATIC: master control drives, speed set by the HMI; ' +
      'MANUAL, SERVICE, TEACHIN: master control is not in control (VDA 5050 6.10.6 operating modes).',
  )
export type OperatingMode = z.infer<typeof OperatingMode>

export const ActionStatus = z
  .enum(['WAITING', 'INITIALIZING', 'RUNNING', 'PAUSED', 'FINISHED', 'FAILED'])
  .describe(
    'WAITING: received, trigger not reached; INITIALIZING: preparing; RUNNING; PAUSED: by startPause or a pause button; ' +
      'FINISHED: done, result in resultDescription; FAILED: could not be finished (VDA 5050 6.11).',
  )
export type ActionStatus = z.infer<typeof ActionStatus>

export const EStop = z
  .enum(['AUTOACK', 'MANUAL', 'REMOTE', 'NONE'])
  .describe(
    'Acknowledge type of the e-stop: AUTOACK: auto-acknowledgeable (bumper, protective field); MANUAL: to be acknowledged at the vehicle; ' +
      'REMOTE: facility e-stop, acknowledged remotely; NONE: no e-stop activated.',
  )
export type EStop = z.infer<typeof EStop>

export const ErrorLevel = z
  .enum(['WARNING', 'FATAL'])
  .describe('WARNING: the vehicle is ready to start (self-resolving); FATAL: not in running condition, user intervention required (VDA 5050 6.10.5).')
export type ErrorLevel = z.infer<typeof ErrorLevel>

export const InfoLevel = z.enum(['INFO', 'DEBUG']).describe('INFO: for visualisation; DEBUG: for debugging (VDA 5050 6.10.4).')
export type InfoLevel = z.infer<typeof InfoLevel>

export const MapStatus = z
  .enum(['ENABLED', 'DISABLED'])
  .describe('ENABLED: this map version is in use (at most one per mapId); DISABLED: stored, could be enabled or deleted.')
export type MapStatus = z.infer<typeof MapStatus>

export const AgvMap = z
  .object({
    mapId: z.string().describe("ID of the map describing a defined area of the vehicle's workspace."),
    mapVersion: z.string().describe('Version of the map.'),
    mapDescription: z.string().optional().describe('Additional information on the map.'),
    mapStatus: MapStatus,
  })
  .describe('A map stored on the vehicle (VDA 5050 2.1, state.maps).')
export type AgvMap = z.infer<typeof AgvMap>

export const NodeState = z
  .object({
    nodeId: z.string().describe('Unique node identification.'),
    sequenceId: Uint32.describe('sequenceId to tell apart several nodes with the same nodeId.'),
    nodeDescription: z.string().optional().describe('Additional information on the node.'),
    released: z.boolean().describe('true: the node is part of the base; false: part of the horizon.'),
    nodePosition: NodePosition.optional().describe('Node position as in the order; optional, e.g. for debugging.'),
  })
  .describe('A node the vehicle still has to traverse (VDA 5050 6.10.6 nodeState).')
export type NodeState = z.infer<typeof NodeState>

export const EdgeState = z
  .object({
    edgeId: z.string().describe('Unique edge identification.'),
    sequenceId: Uint32.describe('sequenceId to tell apart several edges with the same edgeId.'),
    edgeDescription: z.string().optional().describe('Additional information on the edge.'),
    released: z.boolean().describe('true: the edge is part of the base; false: part of the horizon.'),
    trajectory: Trajectory.optional().describe(
      'The trajectory as a NURBS, from where the vehicle enters the edge to where it reports the next node traversed.',
    ),
  })
  .describe('An edge the vehicle still has to traverse (VDA 5050 6.10.6 edgeState).')
export type EdgeState = z.infer<typeof EdgeState>

export const Load = z
  .object({
    loadId: z
      .string()
      .optional()
      .describe('Unique identification of the load (barcode, RFID); empty if identifiable but not identified yet; omitted if the vehicle cannot identify loads.'),
    loadType: z.string().optional().describe('Type of load.'),
    loadPosition: z
      .string()
      .optional()
      .describe('Which load handling/carrying unit is used, e.g. "front", "back", "positionC1"; optional for vehicles with one load position.'),
    boundingBoxReference: BoundingBoxReference.optional(),
    loadDimensions: LoadDimensions.optional(),
    weight: Float64.min(0).optional().describe('Absolute weight of the load, kg.'),
  })
  .describe('A load the vehicle carries (VDA 5050 6.10.6 load).')
export type Load = z.infer<typeof Load>

export const ActionState = z
  .object({
    actionId: z.string().describe('actionId of the action in the order or instant actions.'),
    actionType: z.string().optional().describe('actionType of the action; for information and visualisation only.'),
    actionDescription: z.string().optional().describe('Additional information on the current action.'),
    actionStatus: ActionStatus,
    resultDescription: z.string().optional().describe('Description of the result, e.g. the result of an RFID read; errors go to errors.'),
  })
  .describe('Progress of one action of the order or of an instant action (VDA 5050 6.10.6 actionState, 6.11).')
export type ActionState = z.infer<typeof ActionState>

export const BatteryState = z
  .object({
    batteryCharge: Float64.describe('State of charge, %; vehicles that only know good/bad report 80 (good) and 20 (bad).'),
    batteryVoltage: Float64.optional().describe('Battery voltage, V.'),
    batteryHealth: z.number().min(0).max(100).optional().describe('State of health, %, [0, 100].'),
    charging: z.boolean().describe('true: charging in progress; false: not charging.'),
    reach: Float64.min(0).optional().describe('Estimated reach with the current state of charge, metres.'),
  })
  .describe('All battery-related information (VDA 5050 6.10.6 batteryState).')
export type BatteryState = z.infer<typeof BatteryState>

const Reference = z.object({
  referenceKey: z.string().describe('Type of reference, e.g. "nodeId", "edgeId", "orderId", "actionId", "headerId".'),
  referenceValue: z.string().describe('The value that belongs to the reference key, e.g. the id of the node where the error occurred.'),
})

export const ErrorReference = Reference.describe('A reference that helps find the cause of an error (VDA 5050 6.10.6 errorReference).')
export type ErrorReference = z.infer<typeof ErrorReference>

export const ErrorEntry = z
  .object({
    errorType: z.string().describe('Type/name of the error, e.g. "validationError", "orderError", "noOrderToCancel".'),
    errorReferences: z.array(ErrorReference).optional().describe('References (nodeId, edgeId, orderId, actionId, ...) related to the error.'),
    errorDescription: z.string().optional().describe('Verbose description of details and possible causes of the error.'),
    errorHint: z.string().optional().describe('Hint on how to approach or solve the error.'),
    errorLevel: ErrorLevel,
  })
  .describe('An active error of the vehicle (VDA 5050 6.10.5, 6.10.6 error).')
export type ErrorEntry = z.infer<typeof ErrorEntry>

export const InfoReference = Reference.describe('A reference attached to an information entry (VDA 5050 6.10.6 infoReference).')
export type InfoReference = z.infer<typeof InfoReference>

export const Info = z
  .object({
    infoType: z.string().describe('Type/name of the information.'),
    infoReferences: z.array(InfoReference).optional().describe('References related to the information.'),
    infoDescription: z.string().optional().describe('Description of the information.'),
    infoLevel: InfoLevel,
  })
  .describe('Information for visualisation or debugging only; master control must not base logic on it (VDA 5050 6.10.4).')
export type Info = z.infer<typeof Info>

export const SafetyState = z
  .object({
    eStop: EStop,
    fieldViolation: z.boolean().describe('Protective field violation: true if the field is violated.'),
  })
  .describe('All safety-related information (VDA 5050 6.10.6 safetyState).')
export type SafetyState = z.infer<typeof SafetyState>

export const State = z
  .looseObject({
    ...headerFields,
    maps: z.array(AgvMap).optional().describe('Maps currently stored on the vehicle (VDA 5050 2.1).'),
    orderId: z.string().describe('Current order, or the previous finished one; kept until a new order is received; "" if none.'),
    orderUpdateId: Uint32.describe('Accepted order update of orderId; 0 if none.'),
    zoneSetId: z.string().optional().describe('Zone set the vehicle uses for path planning; omitted if the vehicle does not use zones.'),
    lastNodeId: z.string().describe('Last reached node, or the current node if the vehicle stands on one; "" if none.'),
    lastNodeSequenceId: Uint32.describe('sequenceId of lastNodeId; 0 if none.'),
    nodeStates: z.array(NodeState).describe('Nodes still to traverse for the order; empty if idle.'),
    edgeStates: z.array(EdgeState).describe('Edges still to traverse for the order; empty if idle.'),
    agvPosition: AgvPosition.optional().describe('Current position; omitted only by vehicles that cannot localise themselves, e.g. line-guided.'),
    velocity: Velocity.optional(),
    loads: z
      .array(Load)
      .optional()
      .describe('Loads the vehicle handles; omitted if it cannot tell; an empty array means it is unloaded.'),
    driving: z.boolean().describe('true: the vehicle is driving and/or rotating (not lift movements); false: neither.'),
    paused: z.boolean().optional().describe('true: paused by a physical button or the startPause instant action; the order can be resumed.'),
    newBaseRequest: z.boolean().optional().describe('true: almost at the end of the base, will slow down unless a new base arrives (VDA 5050 6.10.3).'),
    distanceSinceLastNode: Float64.optional().describe('Distance driven past lastNodeId, metres; used by line-guided vehicles.'),
    actionStates: z
      .array(ActionState)
      .describe('All actions of the current order and the instant actions received since it; kept until a new order arrives.'),
    batteryState: BatteryState,
    operatingMode: OperatingMode,
    errors: z.array(ErrorEntry).describe('All active errors; empty if none (VDA 5050 6.10.5).'),
    information: z.array(Info).optional().describe('Information entries, for visualisation and debugging only (VDA 5050 6.10.4).'),
    safetyState: SafetyState,
  })
  .describe(
    'VDA 5050 6.10 state, vehicle to master control: published on relevant events and at least every 30 s. ' +
      'Vendor extension fields are allowed at the top level and kept.',
  )
export type State = z.infer<typeof State>
