import { Venue, type VenueInput } from '../../src/config/index.js'
import { hashSecret } from '../../src/broker/passwords.js'

export const SITE = 'test-site'

/** Roles and names of the principals of the test venue; each one's password is `pw-<name>`. */
export const PRINCIPALS = [
  { name: 'admin', role: 'admin' },
  { name: 'monitor', role: 'monitor' },
  { name: 'fleet', role: 'fleet' },
  { name: 'console', role: 'console' },
  { name: 'edge-1', role: 'edge', edgeNode: 'edge-1' },
  { name: 'edge-2', role: 'edge', edgeNode: 'edge-2' },
  { name: 'robot-r1', role: 'robot', robot: 'r1' },
  { name: 'robot-r2', role: 'robot', robot: 'r2' },
] as const

export const password = (name: string): string => `pw-${name}`

/** A closed rectangular ring, in metres. */
export const square = (x: number, y: number, w: number, h: number): [number, number][] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
  [x, y],
]

/** A 1920x1080 view of a 10 m x 10 m square from the origin (image corners to floor corners). */
export const calibration = {
  pairs: [
    { image: [0, 0] as [number, number], floor: [0, 0] as [number, number] },
    { image: [1920, 0] as [number, number], floor: [10, 0] as [number, number] },
    { image: [1920, 1080] as [number, number], floor: [10, 10] as [number, number] },
    { image: [0, 1080] as [number, number], floor: [0, 10] as [number, number] },
  ],
}

/** A small venue built in code: one corridor, one room, three cameras on two edge nodes, two robots. */
export async function testVenue(overrides: Partial<VenueInput> = {}): Promise<Venue> {
  const principals = await Promise.all(PRINCIPALS.map(async (p) => ({ ...p, secretHash: await hashSecret(password(p.name)) })))
  const input: VenueInput = {
    schemaVersion: 1,
    site: { id: SITE, name: 'Test venue' },
    floor: {
      width_m: 20,
      height_m: 10,
      zones: [
        { id: 'corridor', kind: 'corridor', polygon: square(0, 0, 10, 10) },
        { id: 'room-1', kind: 'evaluation_room', polygon: square(10, 0, 10, 10) },
      ],
    },
    navigation: {
      nodes: [
        { id: 'n1', at: [5, 5] },
        { id: 'n2', at: [15, 5] },
      ],
      edges: [{ id: 'e1', from: 'n1', to: 'n2' }],
    },
    cameras: [
      { id: 'cam-a', rtspUrl: 'rtsp://127.0.0.1:8554/a', edgeNode: 'edge-1', zones: ['corridor'], calibration },
      { id: 'cam-b', rtspUrl: 'rtsp://127.0.0.1:8554/b', edgeNode: 'edge-1', zones: ['room-1'], calibration },
      { id: 'cam-c', rtspUrl: 'rtsp://127.0.0.1:8554/c', edgeNode: 'edge-2', zones: ['room-1'], calibration },
    ],
    robots: [
      { id: 'r1', kind: 'patrol', dockNode: 'n1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' } },
      { id: 'r2', kind: 'delivery', dockNode: 'n1', vda5050: { manufacturer: 'Acme', serialNumber: 'D-001' } },
    ],
    roster: {
      sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
      projects: [{ id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
    },
    principals,
    ...overrides,
  }
  return Venue.parse(input)
}
