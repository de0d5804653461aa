// Realistic VDA 5050 2.x messages for a meal-delivery robot, modelled on the examples of the standard.
// Each function returns a fresh object, so a test may change it.

export const header = (headerId = 12) => ({
  headerId,
  timestamp: '2025-05-01T09:30:00.12Z',
  version: '2.0.0',
  manufacturer: 'Acme',
  serialNumber: 'D-001',
})

/** A meal delivery: kitchen -> corridor -> room 3, drop at the room door; room 3 -> dock is the horizon. */
export function order() {
  return {
    ...header(),
    orderId: 'delivery-2025-05-01-0007',
    orderUpdateId: 0,
    nodes: [
      {
        nodeId: 'kitchen',
        sequenceId: 0,
        released: true,
        nodePosition: { x: 2.0, y: 1.5, theta: 0, allowedDeviationXY: 0.3, allowedDeviationTheta: 0.2, mapId: 'floor-1' },
        actions: [
          {
            actionType: 'pick',
            actionId: 'a-pick-1',
            blockingType: 'HARD',
            actionParameters: [
              { key: 'stationType', value: 'TABLE' },
              { key: 'loadType', value: 'MEAL_TRAY' },
              { key: 'height', value: 0.75 },
            ],
          },
        ],
      },
      { nodeId: 'corridor-2', sequenceId: 2, released: true, nodePosition: { x: 12, y: 1.5, mapId: 'floor-1' }, actions: [] },
      {
        nodeId: 'room-3-door',
        sequenceId: 4,
        released: true,
        nodePosition: { x: 12, y: 8, theta: 1.5708, mapId: 'floor-1' },
        actions: [{ actionType: 'drop', actionId: 'a-drop-1', blockingType: 'HARD', actionParameters: [{ key: 'loadType', value: 'MEAL_TRAY' }] }],
      },
      { nodeId: 'dock', sequenceId: 6, released: false, nodePosition: { x: 1, y: 8, mapId: 'floor-1' }, actions: [] },
    ],
    edges: [
      {
        edgeId: 'kitchen-corridor-2',
        sequenceId: 1,
        released: true,
        startNodeId: 'kitchen',
        endNodeId: 'corridor-2',
        maxSpeed: 0.8,
        orientationType: 'TANGENTIAL',
        rotationAllowed: true,
        actions: [{ actionType: 'startWarningLights', actionId: 'a-lights-1', blockingType: 'NONE' }],
      },
      {
        edgeId: 'corridor-2-room-3',
        sequenceId: 3,
        released: true,
        startNodeId: 'corridor-2',
        endNodeId: 'room-3-door',
        maxSpeed: 0.5,
        trajectory: {
          degree: 1,
          knotVector: [0, 0, 1, 1],
          controlPoints: [
            { x: 12, y: 1.5 },
            { x: 12, y: 8, weight: 1 },
          ],
        },
        corridor: { leftWidth: 0.4, rightWidth: 0.4, corridorRefPoint: 'CONTOUR' },
        actions: [],
      },
      { edgeId: 'room-3-dock', sequenceId: 5, released: false, startNodeId: 'room-3-door', endNodeId: 'dock', actions: [] },
    ],
  }
}

export function instantActions() {
  return {
    ...header(3),
    actions: [
      { actionType: 'startPause', actionId: 'ia-1', blockingType: 'HARD' },
      {
        actionType: 'initPosition',
        actionId: 'ia-2',
        blockingType: 'HARD',
        actionParameters: [
          { key: 'x', value: 1.0 },
          { key: 'y', value: 8.0 },
          { key: 'theta', value: 0 },
          { key: 'mapId', value: 'floor-1' },
          { key: 'lastNodeId', value: 'dock' },
        ],
      },
      { actionType: 'cancelOrder', actionId: 'ia-3', blockingType: 'HARD' },
    ],
  }
}

export function state() {
  return {
    ...header(1041),
    orderId: 'delivery-2025-05-01-0007',
    orderUpdateId: 0,
    lastNodeId: 'corridor-2',
    lastNodeSequenceId: 2,
    maps: [{ mapId: 'floor-1', mapVersion: '3', mapStatus: 'ENABLED' }],
    nodeStates: [
      { nodeId: 'room-3-door', sequenceId: 4, released: true },
      { nodeId: 'dock', sequenceId: 6, released: false, nodePosition: { x: 1, y: 8, mapId: 'floor-1' } },
    ],
    edgeStates: [
      { edgeId: 'corridor-2-room-3', sequenceId: 3, released: true },
      { edgeId: 'room-3-dock', sequenceId: 5, released: false },
    ],
    agvPosition: { x: 12.02, y: 3.4, theta: 1.57, mapId: 'floor-1', positionInitialized: true, localizationScore: 0.93, deviationRange: 0.05 },
    velocity: { vx: 0.5, vy: 0, omega: 0 },
    loads: [
      {
        loadId: '',
        loadType: 'MEAL_TRAY',
        loadPosition: 'tray',
        boundingBoxReference: { x: 0, y: 0, z: 0.6 },
        loadDimensions: { length: 0.5, width: 0.35, height: 0.2 },
        weight: 2.4,
      },
    ],
    driving: true,
    paused: false,
    newBaseRequest: false,
    distanceSinceLastNode: 1.9,
    actionStates: [
      { actionId: 'a-pick-1', actionType: 'pick', actionStatus: 'FINISHED', resultDescription: 'tray on board' },
      { actionId: 'a-lights-1', actionStatus: 'FINISHED' },
      { actionId: 'a-drop-1', actionType: 'drop', actionStatus: 'WAITING' },
    ],
    batteryState: { batteryCharge: 76.5, batteryVoltage: 24.1, batteryHealth: 97, charging: false, reach: 5200 },
    operatingMode: 'AUTOMATIC',
    errors: [
      {
        errorType: 'orderUpdateError',
        errorLevel: 'WARNING',
        errorDescription: 'order update 0 received twice',
        errorReferences: [{ referenceKey: 'orderId', referenceValue: 'delivery-2025-05-01-0007' }],
      },
    ],
    information: [{ infoType: 'tray', infoLevel: 'INFO', infoDescription: 'lid closed' }],
    safetyState: { eStop: 'NONE', fieldViolation: false },
  }
}

export function factsheet() {
  return {
    ...header(1),
    typeSpecification: {
      seriesName: 'MealRunner 2',
      seriesDescription: 'Indoor delivery robot with a closed tray',
      agvKinematic: 'DIFF',
      agvClass: 'CARRIER',
      maxLoadMass: 15,
      localizationTypes: ['NATURAL'],
      navigationTypes: ['AUTONOMOUS', 'VIRTUAL_LINE_GUIDED'],
    },
    physicalParameters: { speedMin: 0.05, speedMax: 1.2, accelerationMax: 0.5, decelerationMax: 1.0, heightMin: 1.1, heightMax: 1.1, width: 0.5, length: 0.6 },
    protocolLimits: {
      maxStringLens: { msgLen: 65536, idLen: 64, idNumericalOnly: false },
      maxArrayLens: { 'order.nodes': 50, 'order.edges': 49, 'node.actions': 4, instantActions: 8 },
      timing: { minOrderInterval: 0.5, minStateInterval: 0.2, defaultStateInterval: 30, visualizationInterval: 0.5 },
    },
    protocolFeatures: {
      optionalParameters: [
        { parameter: 'order.nodes.nodePosition.allowedDeviationXY', support: 'SUPPORTED' },
        { parameter: 'order.edges.trajectory', support: 'SUPPORTED', description: 'straight lines only' },
      ],
      agvActions: [
        { actionType: 'startPause', actionScopes: ['INSTANT'] },
        { actionType: 'cancelOrder', actionScopes: ['INSTANT'] },
        {
          actionType: 'drop',
          actionScopes: ['NODE'],
          actionParameters: [{ key: 'loadType', valueDataType: 'STRING', isOptional: true }],
          blockingTypes: ['HARD'],
        },
      ],
    },
    agvGeometry: {
      wheelDefinitions: [
        { type: 'DRIVE', isActiveDriven: true, isActiveSteered: false, position: { x: 0, y: 0.2 }, diameter: 0.15, width: 0.04 },
        { type: 'DRIVE', isActiveDriven: true, isActiveSteered: false, position: { x: 0, y: -0.2 }, diameter: 0.15, width: 0.04 },
      ],
      envelopes2d: [{ set: 'mechanical', polygonPoints: [{ x: 0.3, y: 0.25 }, { x: -0.3, y: 0.25 }, { x: -0.3, y: -0.25 }, { x: 0.3, y: -0.25 }] }],
    },
    loadSpecification: { loadPositions: ['tray'], loadSets: [{ setName: 'DEFAULT', loadType: 'MEAL_TRAY', maxWeight: 15 }] },
    vehicleConfig: { versions: [{ key: 'softwareVersion', value: 'v4.2.0' }], network: { localIpAddress: '10.0.4.21' } },
  }
}
