// VDA 5050 2.x topic "factsheet", vehicle to master control (VDA 5050 6.15).
import { z } from 'zod'
import { BlockingType, BoundingBoxReference, Float64, headerFields, LoadDimensions, Uint32 } from './common.js'

const limit = (what: string) => Uint32.optional().describe(what)

export const TypeSpecification = z
  .object({
    seriesName: z.string().describe('Free-text generalised series name as specified by the manufacturer.'),
    seriesDescription: z.string().optional().describe('Free-text human-readable description of the type series.'),
    agvKinematic: z
      .enum(['DIFF', 'OMNI', 'THREEWHEEL'])
      .describe('Simplified kinematics type: DIFF: differential drive; OMNI: omni-directional; THREEWHEEL: three-wheel-driven or similar.'),
    agvClass: z
      .enum(['FORKLIFT', 'CONVEYOR', 'TUGGER', 'CARRIER'])
      .describe('Simplified vehicle class: FORKLIFT, CONVEYOR (vehicle with conveyors), TUGGER, CARRIER (load carrier with or without lifting unit).'),
    maxLoadMass: Float64.min(0).describe('Maximum loadable mass, kg.'),
    localizationTypes: z
      .array(z.enum(['NATURAL', 'REFLECTOR', 'RFID', 'DMC', 'SPOT', 'GRID']))
      .describe('Localisation types: natural landmarks, laser reflectors, RFID tags, data matrix codes, magnetic spots, magnetic grid.'),
    navigationTypes: z
      .array(z.enum(['PHYSICAL_LINE_GUIDED', 'VIRTUAL_LINE_GUIDED', 'AUTONOMOUS']))
      .describe('Path planning types supported by the vehicle, sorted by priority.'),
  })
  .describe('General class and capabilities of the vehicle type (VDA 5050 6.15 typeSpecification).')
export type TypeSpecification = z.infer<typeof TypeSpecification>

export const PhysicalParameters = z
  .object({
    speedMin: Float64.describe('Minimal controlled continuous speed, m/s.'),
    speedMax: Float64.describe('Maximum speed, m/s.'),
    angularSpeedMin: Float64.optional().describe('Minimal controlled continuous rotation speed, rad/s (VDA 5050 2.1).'),
    angularSpeedMax: Float64.optional().describe('Maximum rotation speed, rad/s (VDA 5050 2.1).'),
    accelerationMax: Float64.describe('Maximum acceleration with maximum load, m/s².'),
    decelerationMax: Float64.describe('Maximum deceleration with maximum load, m/s².'),
    heightMin: Float64.optional().describe('Minimum height of the vehicle, metres.'),
    heightMax: Float64.describe('Maximum height of the vehicle, metres.'),
    width: Float64.describe('Width of the vehicle, metres.'),
    length: Float64.describe('Length of the vehicle, metres.'),
  })
  .describe('Basic physical properties of the vehicle (VDA 5050 6.15 physicalParameters).')
export type PhysicalParameters = z.infer<typeof PhysicalParameters>

export const ProtocolLimits = z
  .object({
    maxStringLens: z
      .object({
        msgLen: limit('Maximum MQTT message length.'),
        topicSerialLen: limit('Maximum length of the serial-number part of MQTT topics.'),
        topicElemLen: limit('Maximum length of all other parts of MQTT topics.'),
        idLen: limit('Maximum length of ID strings (orderId, zoneSetId, nodeId, mapId, actionId, edgeId, ...).'),
        idNumericalOnly: z.boolean().optional().describe('true: ID strings contain numerical values only.'),
        enumLen: limit('Maximum length of enum and key strings.'),
        loadIdLen: limit('Maximum length of loadId strings.'),
      })
      .describe('Maximum lengths of strings.'),
    maxArrayLens: z
      .object({
        'order.nodes': limit('Maximum number of nodes per order.'),
        'order.edges': limit('Maximum number of edges per order.'),
        'node.actions': limit('Maximum number of actions per node.'),
        'edge.actions': limit('Maximum number of actions per edge.'),
        'actions.actionsParameters': limit('Maximum number of parameters per action.'),
        instantActions: limit('Maximum number of instant actions per message.'),
        'trajectory.knotVector': limit('Maximum number of knots per trajectory.'),
        'trajectory.controlPoints': limit('Maximum number of control points per trajectory.'),
        'state.nodeStates': limit('Maximum number of nodeStates sent, i.e. of nodes in the base.'),
        'state.edgeStates': limit('Maximum number of edgeStates sent, i.e. of edges in the base.'),
        'state.loads': limit('Maximum number of load objects sent.'),
        'state.actionStates': limit('Maximum number of actionStates sent.'),
        'state.errors': limit('Maximum number of errors in one state message.'),
        'state.information': limit('Maximum number of information entries in one state message.'),
        'error.errorReferences': limit('Maximum number of references per error.'),
        'information.infoReferences': limit('Maximum number of references per information entry.'),
      })
      .describe('Maximum lengths of arrays.'),
    timing: z
      .object({
        minOrderInterval: Float64.describe('Minimum interval between order messages to the vehicle, s.'),
        minStateInterval: Float64.describe('Minimum interval between state messages, s.'),
        defaultStateInterval: Float64.optional().describe('Default interval between state messages, s; 30 s by the main document if not defined.'),
        visualizationInterval: Float64.optional().describe('Default interval between visualization messages, s.'),
      })
      .describe('Timing information.'),
  })
  .describe('Protocol limits of the vehicle; a limit that is absent or 0 means no explicit limit (VDA 5050 6.15 protocolLimits).')
export type ProtocolLimits = z.infer<typeof ProtocolLimits>

export const OptionalParameter = z
  .object({
    parameter: z.string().describe('Full name of the optional parameter, e.g. "order.nodes.nodePosition.allowedDeviationTheta".'),
    support: z
      .enum(['SUPPORTED', 'REQUIRED'])
      .describe('SUPPORTED: supported as specified; REQUIRED: required for proper operation of the vehicle.'),
    description: z.string().optional().describe('Free text, e.g. why the parameter is required and which values it can contain.'),
  })
  .describe('An optional protocol parameter the vehicle supports or requires.')
export type OptionalParameter = z.infer<typeof OptionalParameter>

export const FactsheetActionParameter = z
  .object({
    key: z.string().describe('Key of the parameter.'),
    valueDataType: z
      .enum(['BOOL', 'NUMBER', 'INTEGER', 'FLOAT', 'STRING', 'OBJECT', 'ARRAY'])
      .describe('Data type of the value.'),
    description: z.string().optional().describe('Free-text description of the parameter.'),
    isOptional: z.boolean().optional().describe('true: optional parameter.'),
  })
  .describe('Declaration of an action parameter (not the key/value actionParameter of orders).')
export type FactsheetActionParameter = z.infer<typeof FactsheetActionParameter>

export const AgvAction = z
  .object({
    actionType: z.string().describe('Unique actionType corresponding to action.actionType.'),
    actionDescription: z.string().optional().describe('Free-text description of the action.'),
    actionScopes: z
      .array(z.enum(['INSTANT', 'NODE', 'EDGE']))
      .describe('Where the action may be used: INSTANT (instant action), NODE, EDGE.'),
    actionParameters: z.array(FactsheetActionParameter).optional().describe('Parameters of the action; none if not defined.'),
    resultDescription: z.string().optional().describe('Free-text description of the resultDescription.'),
    blockingTypes: z.array(BlockingType).optional().describe('Blocking types possible for this action (VDA 5050 2.1).'),
  })
  .describe('An action the vehicle supports, standard or manufacturer-specific.')
export type AgvAction = z.infer<typeof AgvAction>

export const ProtocolFeatures = z
  .object({
    optionalParameters: z
      .array(OptionalParameter)
      .describe('Supported and/or required optional parameters; parameters not listed are assumed not supported.'),
    agvActions: z.array(AgvAction).describe('All actions with parameters the vehicle supports.'),
  })
  .describe('Supported features of the protocol (VDA 5050 6.15 protocolFeatures).')
export type ProtocolFeatures = z.infer<typeof ProtocolFeatures>

const PolygonPoint = z.object({
  x: Float64.describe('x-position of the polygon point, metres.'),
  y: Float64.describe('y-position of the polygon point, metres.'),
})

export const WheelDefinition = z
  .object({
    type: z.enum(['DRIVE', 'CASTER', 'FIXED', 'MECANUM']).describe('Wheel type.'),
    isActiveDriven: z.boolean().describe('true: the wheel is actively driven.'),
    isActiveSteered: z.boolean().describe('true: the wheel is actively steered.'),
    position: z
      .object({
        x: Float64.describe('x-position in vehicle coordinates, metres.'),
        y: Float64.describe('y-position in vehicle coordinates, metres.'),
        theta: Float64.optional().describe('Orientation of the wheel in vehicle coordinates, rad; necessary for fixed wheels.'),
      })
      .describe('Position of the wheel in vehicle coordinates.'),
    diameter: Float64.describe('Nominal diameter, metres.'),
    width: Float64.describe('Nominal width, metres.'),
    centerDisplacement: Float64.optional().describe('Nominal displacement of the wheel centre to the rotation point (caster wheels), metres; 0 if absent.'),
    constraints: z.string().optional().describe('Free text: constraints defined by the manufacturer.'),
  })
  .describe('One wheel: arrangement and geometry.')
export type WheelDefinition = z.infer<typeof WheelDefinition>

export const AgvGeometry = z
  .object({
    wheelDefinitions: z.array(WheelDefinition).optional().describe('Wheels, their arrangement and geometry.'),
    envelopes2d: z
      .array(
        z.object({
          set: z.string().describe('Name of the envelope curve set.'),
          polygonPoints: z.array(PolygonPoint).describe('Envelope curve as a closed, non-self-intersecting x/y polygon.'),
          description: z.string().optional().describe('Free-text description of the envelope curve set.'),
        }),
      )
      .optional()
      .describe('2D envelope curves, e.g. mechanical envelopes unloaded and loaded, safety fields per speed.'),
    envelopes3d: z
      .array(
        z.object({
          set: z.string().describe('Name of the envelope curve set.'),
          format: z.string().describe('Format of the data, e.g. DXF.'),
          data: z.record(z.string(), z.unknown()).optional().describe('3D envelope curve data, in the given format.'),
          url: z.string().optional().describe('Where to download the 3D envelope curve data.'),
          description: z.string().optional().describe('Free-text description of the envelope curve set.'),
        }),
      )
      .optional()
      .describe('3D envelope curves.'),
  })
  .describe('Geometry of the vehicle: wheels and envelopes (VDA 5050 6.15 agvGeometry).')
export type AgvGeometry = z.infer<typeof AgvGeometry>

export const LoadSet = z
  .object({
    setName: z.string().describe('Unique name of the load set, e.g. DEFAULT, SET1.'),
    loadType: z.string().describe('Type of load, e.g. EPAL, XLT1200.'),
    loadPositions: z.array(z.string()).optional().describe('Load positions this set is valid for; all if absent or empty.'),
    boundingBoxReference: BoundingBoxReference.optional(),
    loadDimensions: LoadDimensions.optional(),
    maxWeight: Float64.optional().describe('Maximum weight of the load type, kg.'),
    minLoadhandlingHeight: Float64.optional().describe('Minimum allowed height for handling this load type and weight, metres.'),
    maxLoadhandlingHeight: Float64.optional().describe('Maximum allowed height for handling this load type and weight, metres.'),
    minLoadhandlingDepth: Float64.optional().describe('Minimum allowed depth for this load type and weight, metres.'),
    maxLoadhandlingDepth: Float64.optional().describe('Maximum allowed depth for this load type and weight, metres.'),
    minLoadhandlingTilt: Float64.optional().describe('Minimum allowed tilt for this load type and weight, rad.'),
    maxLoadhandlingTilt: Float64.optional().describe('Maximum allowed tilt for this load type and weight, rad.'),
    agvSpeedLimit: Float64.optional().describe('Maximum allowed speed with this load type and weight, m/s.'),
    agvAccelerationLimit: Float64.optional().describe('Maximum allowed acceleration with this load type and weight, m/s².'),
    agvDecelerationLimit: Float64.optional().describe('Maximum allowed deceleration with this load type and weight, m/s².'),
    pickTime: Float64.optional().describe('Approximate time to pick up the load, s.'),
    dropTime: Float64.optional().describe('Approximate time to drop the load, s.'),
    description: z.string().optional().describe('Free-text description of the load handling set.'),
  })
  .describe('A set of loads the vehicle can handle.')
export type LoadSet = z.infer<typeof LoadSet>

export const LoadSpecification = z
  .object({
    loadPositions: z
      .array(z.string())
      .optional()
      .describe('Load positions / load handling devices: the valid values of state.loads[].loadPosition and of the "lhd" parameter of pick and drop.'),
    loadSets: z.array(LoadSet).optional().describe('Load sets the vehicle can handle.'),
  })
  .describe('Abstract specification of load capabilities (VDA 5050 6.15 loadSpecification).')
export type LoadSpecification = z.infer<typeof LoadSpecification>

export const VehicleConfig = z
  .object({
    versions: z
      .array(
        z.object({
          key: z.string().describe('Name of the version, e.g. "softwareVersion".'),
          value: z.string().describe('The version, e.g. "v1.03.2".'),
        }),
      )
      .optional()
      .describe('Hardware and software versions running on the vehicle.'),
    network: z
      .object({
        dnsServers: z.array(z.string()).optional().describe('DNS servers used by the vehicle.'),
        ntpServers: z.array(z.string()).optional().describe('NTP servers used by the vehicle.'),
        localIpAddress: z.string().optional().describe('IP address the vehicle uses to reach the MQTT broker.'),
        netmask: z.string().optional().describe('Network subnet mask.'),
        defaultGateway: z.string().optional().describe('Default gateway.'),
      })
      .optional()
      .describe('Network configuration of the vehicle.'),
  })
  .describe('Software, hardware and network configuration of the vehicle (VDA 5050 2.1 vehicleConfig).')
export type VehicleConfig = z.infer<typeof VehicleConfig>

export const Factsheet = z
  .looseObject({
    ...headerFields,
    typeSpecification: TypeSpecification,
    physicalParameters: PhysicalParameters,
    protocolLimits: ProtocolLimits,
    protocolFeatures: ProtocolFeatures,
    agvGeometry: AgvGeometry,
    loadSpecification: LoadSpecification,
    vehicleConfig: VehicleConfig.optional(),
  })
  .describe(
    'VDA 5050 6.15 factsheet: capabilities of the vehicle type, sent retained, e.g. on the factsheetRequest instant action. ' +
      'Vendor extension fields are allowed at the top level and kept.',
  )
export type Factsheet = z.infer<typeof Factsheet>
