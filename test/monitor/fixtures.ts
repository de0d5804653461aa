import type { VenueInput } from '../../src/config/index.js'
import type { ZoneKind } from '../../src/config/schema/common.js'
import type { PersonTrack } from '../../src/contract/venue/tracks.js'
import { square, testVenue } from '../helpers/venue.js'

/** Rule tests' floor: corridor 0-10 m, room-1 10-20 m (evaluation room), and a third zone 20-30 m. */
export function threeZoneVenue(third: { id: string; kind: ZoneKind }, roster?: VenueInput['roster']) {
  return testVenue({
    floor: {
      width_m: 30,
      height_m: 10,
      zones: [
        { id: 'corridor', kind: 'corridor', polygon: square(0, 0, 10, 10) },
        { id: 'room-1', kind: 'evaluation_room', polygon: square(10, 0, 10, 10) },
        { id: third.id, kind: third.kind, polygon: square(20, 0, 10, 10) },
      ],
    },
    ...(roster === undefined ? {} : { roster }),
  })
}

/** A venue-level track as the fusion publishes it. */
export function track(t: Partial<PersonTrack> & Pick<PersonTrack, 'floor'>, at: number): PersonTrack {
  return { id: 't-1', subject: 'unknown', category: 'unknown', project: null, zone: null, cameras: ['cam-a'], lastSeenAt: new Date(at).toISOString(), ...t }
}
