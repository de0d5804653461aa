import { stamp, type TopicKey } from '../../src/contract/index.js'

const now = () => new Date().toISOString()

/** One valid payload per venue topic, for tests that need a message the broker accepts. */
export const venueSamples = {
  edgeStatus: (node = 'edge-1') => ({ ...stamp(), node, state: 'online', cameras: ['cam-a'] }),
  cameraStatus: (camera = 'cam-a', node = 'edge-1') => ({ ...stamp(), camera, node, state: 'online', since: now(), fps: 5, lastFrameAt: now() }),
  cameraSightings: (camera = 'cam-a') => ({
    ...stamp(),
    camera,
    frameId: 1,
    capturedAt: now(),
    width_px: 1920,
    height_px: 1080,
    tracks: [{ trackId: 't1', box: [100, 100, 200, 220], floor: [3, 4], subject: 'sub-aaaa1111', score: 0.71, liveness: 0.98, quality: 0.8 }],
  }),
  tracks: () => ({ ...stamp(), tracks: [] }),
  snapshotRequest: (camera = 'cam-a') => ({ ...stamp(), requestId: 'snap-1', camera, requestedBy: 'monitor' }),
  alert: (id = 'a1') => ({
    ...stamp(),
    id,
    rule: 'r-wrong-room',
    kind: 'wrong_room',
    severity: 'high',
    state: 'open',
    title: 'Expert in a room of another project',
    subjects: ['sub-aaaa1111'],
    zone: 'room-1',
    floor: [12, 4],
    cameras: ['cam-b'],
    firstAt: now(),
    lastAt: now(),
    count: 1,
  }),
  alertAction: (alertId = 'a1') => ({ ...stamp(), alertId, action: 'acknowledge', by: 'operator-1' }),
  missionRequest: () => ({ ...stamp(), action: 'start', requestId: 'req-1', kind: 'patrol', nodes: ['n1', 'n2'], requestedBy: 'operator-1' }),
  missionState: (missionId = 'm1') => ({ ...stamp(), missionId, requestId: 'req-1', kind: 'patrol', robot: 'r1', state: 'running', startedAt: now(), endedAt: null }),
  robotStatus: (robot = 'r1') => ({
    ...stamp(),
    robot,
    kind: 'patrol',
    connection: 'online',
    mode: 'idle',
    battery_pct: 80,
    floor: [5, 5],
    theta_rad: 0,
    node: 'n1',
    mission: null,
  }),
} satisfies Partial<Record<TopicKey, (...args: string[]) => unknown>>

/** VDA 5050 connection message (section 6.14): the smallest VDA payload, header plus state. */
export function vdaConnection(manufacturer: string, serialNumber: string, connectionState = 'ONLINE') {
  return { headerId: 1, timestamp: now(), version: '2.0.0', manufacturer, serialNumber, connectionState }
}

/** VDA 5050 order (section 6.6): one base node, no edges. */
export function vdaOrder(manufacturer: string, serialNumber: string) {
  return {
    headerId: 1,
    timestamp: now(),
    version: '2.0.0',
    manufacturer,
    serialNumber,
    orderId: 'o-1',
    orderUpdateId: 0,
    nodes: [{ nodeId: 'n1', sequenceId: 0, released: true, actions: [] }],
    edges: [],
  }
}
