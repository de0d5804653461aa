import type { VenueInput } from '../../src/config/index.js'
import type { ZoneKind } from '../../src/config/schema/common.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { calibration, square, testVenue } from '../helpers/venue.js'

/** Rule tests' floor: corridor 0-10 m, room-1 10-20 m (evaluation room), and a third zone 20-30 m. */
export function threeZoneVenue(third: { id: string; kind: ZoneKind }, roster?: VenueInput['roster'], more: { doors?: NonNullable<VenueInput['floor']['doors']>; cameras?: VenueInput['cameras'] } = {}) {
  return testVenue({
    floor: {
      width_m: 30,
      height_m: 10,
      zones: [
        { id: 'corridor', kind: 'corridor', polygon: square(0, 0, 10, 10) },
        { id: 'room-1', kind: 'evaluation_room', polygon: square(10, 0, 10, 10) },
        { id: third.id, kind: third.kind, polygon: square(20, 0, 10, 10) },
      ],
      ...(more.doors === undefined ? {} : { doors: more.doors }),
    },
    ...(roster === undefined ? {} : { roster }),
    ...(more.cameras === undefined ? {} : { cameras: more.cameras }),
  })
}

/** A venue-level track as the fusion publishes it. */
export function track(t: Partial<PersonTrack> & Pick<PersonTrack, 'floor'>, at: number): PersonTrack {
  return { id: 't-1', subject: 'unknown', category: 'unknown', project: null, zone: null, cameras: ['cam-a'], lastSeenAt: new Date(at).toISOString(), ...t }
}

/**
 * Check-in floor: corridor 0-10 m, checkin 10-20 m (capacity 3), room-1 20-30 m (evaluation room,
 * no capacity); gate door g1 from corridor (outside) into checkin at [10, 5]. cam-a sees corridor,
 * cam-b checkin, cam-c room-1. Expert sub-aaaa1111 (p1), staff sub-ssss0001.
 */
export function checkinVenue() {
  return testVenue({
    floor: {
      width_m: 30,
      height_m: 10,
      zones: [
        { id: 'corridor', kind: 'corridor', polygon: square(0, 0, 10, 10) },
        { id: 'checkin', kind: 'checkin', polygon: square(10, 0, 10, 10), capacity: 3 },
        { id: 'room-1', kind: 'evaluation_room', polygon: square(20, 0, 10, 10) },
      ],
      doors: [{ id: 'g1', between: ['corridor', 'checkin'], at: [10, 5], gate: true }],
    },
    cameras: [
      { id: 'cam-a', rtspUrl: 'rtsp://127.0.0.1:8554/a', edgeNode: 'edge-1', zones: ['corridor'], calibration },
      { id: 'cam-b', rtspUrl: 'rtsp://127.0.0.1:8554/b', edgeNode: 'edge-1', zones: ['checkin'], calibration },
      { id: 'cam-c', rtspUrl: 'rtsp://127.0.0.1:8554/c', edgeNode: 'edge-2', zones: ['room-1'], calibration },
    ],
    roster: {
      sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
      projects: [{ id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
      staff: [{ subject: 'sub-ssss0001', role: 'host', zones: ['checkin'] }],
    },
  })
}
