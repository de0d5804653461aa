/**
 * The fleet tests' floor: a kitchen and a dock on the west, a corridor, eight rooms off it (single-lane
 * doors), and a single-lane passage between the two halves of the corridor.
 *
 *                              n-room-5 n-room-6                     n-room-7 n-room-8
 *                                 |        |                            |        |
 *   dock(n-dock-1, n-dock-2) - n-hub - n-c1 - n-c2 ==single lane e-narrow== n-c3 - n-c4
 *                      |          |        |                            |        |
 *                 n-kitchen    n-room-1 n-room-2                     n-room-3 n-room-4
 *
 * n-checkin (in the check-in zone, seen by cam-a) hangs off n-hub. The roster (testVenue's): expert
 * sub-aaaa1111 of project p1, room room-1.
 */
import type { VenueInput } from '../../src/config/index.js'
import { calibration, square, testVenue } from '../helpers/venue.js'

const zone = (id: string, kind: NonNullable<VenueInput['floor']>['zones'][number]['kind'], x: number, y: number, w: number, h: number) => ({ id, kind, polygon: square(x, y, w, h) })

export function fleetVenue(extra: Partial<VenueInput> = {}) {
  return testVenue({
    floor: {
      width_m: 60,
      height_m: 30,
      zones: [
        zone('dock', 'dock', 0, 10, 10, 10),
        zone('kitchen', 'kitchen', 0, 0, 10, 10),
        zone('corridor', 'corridor', 10, 10, 50, 10),
        zone('room-1', 'evaluation_room', 10, 0, 10, 10),
        zone('room-2', 'evaluation_room', 20, 0, 10, 10),
        zone('room-3', 'evaluation_room', 40, 0, 10, 10),
        zone('room-4', 'evaluation_room', 50, 0, 10, 10),
        zone('room-5', 'evaluation_room', 10, 20, 10, 10),
        zone('room-6', 'evaluation_room', 20, 20, 10, 10),
        zone('room-7', 'evaluation_room', 40, 20, 10, 10),
        zone('room-8', 'evaluation_room', 50, 20, 10, 10),
        zone('checkin', 'checkin', 0, 20, 10, 10),
      ],
    },
    navigation: {
      nodes: [
        { id: 'n-dock-1', at: [3, 17] },
        { id: 'n-dock-2', at: [3, 13] },
        { id: 'n-hub', at: [8, 15] },
        { id: 'n-kitchen', at: [5, 5] },
        { id: 'n-c1', at: [15, 15] },
        { id: 'n-c2', at: [25, 15] },
        { id: 'n-c3', at: [45, 15] },
        { id: 'n-c4', at: [55, 15] },
        { id: 'n-room-1', at: [15, 5] },
        { id: 'n-room-2', at: [25, 5] },
        { id: 'n-room-3', at: [45, 5] },
        { id: 'n-room-4', at: [55, 5] },
        { id: 'n-room-5', at: [15, 25] },
        { id: 'n-room-6', at: [25, 25] },
        { id: 'n-room-7', at: [45, 25] },
        { id: 'n-room-8', at: [55, 25] },
        { id: 'n-checkin', at: [5, 25] },
      ],
      edges: [
        { id: 'e-dock-1', from: 'n-dock-1', to: 'n-hub' },
        { id: 'e-dock-2', from: 'n-dock-2', to: 'n-hub' },
        { id: 'e-kitchen', from: 'n-hub', to: 'n-kitchen' },
        { id: 'e-c1', from: 'n-hub', to: 'n-c1' },
        { id: 'e-c2', from: 'n-c1', to: 'n-c2' },
        { id: 'e-narrow', from: 'n-c2', to: 'n-c3', singleLane: true },
        { id: 'e-c4', from: 'n-c3', to: 'n-c4' },
        { id: 'e-room-1', from: 'n-c1', to: 'n-room-1', singleLane: true },
        { id: 'e-room-2', from: 'n-c2', to: 'n-room-2', singleLane: true },
        { id: 'e-room-3', from: 'n-c3', to: 'n-room-3', singleLane: true },
        { id: 'e-room-4', from: 'n-c4', to: 'n-room-4', singleLane: true },
        { id: 'e-room-5', from: 'n-c1', to: 'n-room-5', singleLane: true },
        { id: 'e-room-6', from: 'n-c2', to: 'n-room-6', singleLane: true },
        { id: 'e-room-7', from: 'n-c3', to: 'n-room-7', singleLane: true },
        { id: 'e-room-8', from: 'n-c4', to: 'n-room-8', singleLane: true },
        { id: 'e-checkin', from: 'n-hub', to: 'n-checkin' },
      ],
    },
    cameras: [
      { id: 'cam-a', rtspUrl: 'rtsp://127.0.0.1:8554/a', edgeNode: 'edge-1', zones: ['checkin'], calibration },
      { id: 'cam-b', rtspUrl: 'rtsp://127.0.0.1:8554/b', edgeNode: 'edge-1', zones: ['corridor'], calibration },
      { id: 'cam-c', rtspUrl: 'rtsp://127.0.0.1:8554/c', edgeNode: 'edge-2', zones: ['room-1'], calibration },
    ],
    robots: [
      { id: 'r1', kind: 'delivery', dockNode: 'n-dock-1', vda5050: { manufacturer: 'Acme', serialNumber: 'P-001' } },
      { id: 'r2', kind: 'delivery', dockNode: 'n-dock-2', vda5050: { manufacturer: 'Acme', serialNumber: 'D-001' } },
    ],
    ...extra,
  })
}
