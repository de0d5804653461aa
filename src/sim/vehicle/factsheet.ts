// The simulated vehicle's factsheet (VDA 5050 6.15): what it can do, so master control sends nothing else.
import type { AgvAction, Factsheet, Header } from '../../contract/vda5050/index.js'
import type { Resolved } from './options.js'

const text = (key: string, description: string, isOptional = true) => ({ key, valueDataType: 'STRING' as const, description, isOptional })

/** Actions and their scopes (6.8.1); the order check and the instant-action handler follow this list. */
export const AGV_ACTIONS: AgvAction[] = [
  { actionType: 'waitForTrigger', actionScopes: ['NODE'], actionParameters: [text('triggerType', 'what to wait for, e.g. "hatch"')], resultDescription: 'who or what triggered (SimVehicle.trigger)' },
  {
    actionType: 'pick',
    actionScopes: ['NODE'],
    actionParameters: [text('loadId', 'id of the load picked'), text('loadType', 'type of the load'), text('lhd', 'load handling device')],
    resultDescription: 'the load is reported in loads',
  },
  { actionType: 'drop', actionScopes: ['NODE'], actionParameters: [text('loadId', 'id of the load to drop; all loads if absent')] },
  { actionType: 'startCharging', actionScopes: ['INSTANT', 'NODE'], actionDescription: 'only while standing on a node' },
  { actionType: 'stopCharging', actionScopes: ['INSTANT', 'NODE'] },
  { actionType: 'startPause', actionScopes: ['INSTANT'] },
  { actionType: 'stopPause', actionScopes: ['INSTANT'] },
  { actionType: 'cancelOrder', actionScopes: ['INSTANT'], actionDescription: 'stops on the next node' },
  { actionType: 'stateRequest', actionScopes: ['INSTANT'] },
  { actionType: 'factsheetRequest', actionScopes: ['INSTANT'] },
  {
    actionType: 'initPosition',
    actionScopes: ['INSTANT'],
    actionDescription: 'only without an order',
    actionParameters: [
      { key: 'x', valueDataType: 'NUMBER' },
      { key: 'y', valueDataType: 'NUMBER' },
      { key: 'theta', valueDataType: 'NUMBER' },
      { key: 'mapId', valueDataType: 'STRING' },
      { key: 'lastNodeId', valueDataType: 'STRING' },
    ],
  },
]

export const INSTANT_ACTION_TYPES: ReadonlySet<string> = new Set(AGV_ACTIONS.filter((a) => a.actionScopes.includes('INSTANT')).map((a) => a.actionType))

export function factsheet(o: Resolved, header: Header): Factsheet {
  return {
    ...header,
    typeSpecification: {
      seriesName: 'Venue Sentinel SimVehicle',
      seriesDescription: `simulated VDA 5050 vehicle for robot ${o.robot}`,
      agvKinematic: 'DIFF',
      agvClass: 'CARRIER',
      maxLoadMass: 20,
      localizationTypes: ['NATURAL'],
      navigationTypes: ['VIRTUAL_LINE_GUIDED'],
    },
    physicalParameters: {
      speedMin: 0.01,
      speedMax: o.speed_mps,
      accelerationMax: 1,
      decelerationMax: 1,
      heightMax: 1.2,
      width: 0.6,
      length: 0.8,
    },
    protocolLimits: {
      maxStringLens: {},
      maxArrayLens: {},
      timing: {
        minOrderInterval: 0.05,
        minStateInterval: o.tick_ms / 1000,
        defaultStateInterval: o.statePeriod_ms / 1000,
        visualizationInterval: o.visualizationPeriod_ms / 1000,
      },
    },
    protocolFeatures: {
      optionalParameters: [
        { parameter: 'order.edges.maxSpeed', support: 'SUPPORTED' },
        { parameter: 'order.nodes.nodePosition', support: 'SUPPORTED', description: 'used for nodes outside the navigation graph only' },
        { parameter: 'order.nodes.nodePosition.allowedDeviationXY', support: 'SUPPORTED' },
      ],
      agvActions: AGV_ACTIONS,
    },
    agvGeometry: {},
    loadSpecification: { loadPositions: ['default'] },
  }
}
