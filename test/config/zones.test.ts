import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ZoneIndex } from '../../src/config/zones.js'
import { square, testVenue } from '../helpers/venue.js'

const venue = await testVenue()

test('zoneAt finds the zone a point stands in', () => {
  const idx = new ZoneIndex(venue)
  assert.is(idx.zoneAt([5, 5]), 'corridor')
  assert.is(idx.zoneAt([15, 2]), 'room-1')
  assert.is(idx.zoneAt([0, 0]), 'corridor') // corner counts as inside
})

test('zoneAt is null outside every zone', () => {
  const idx = new ZoneIndex(venue)
  assert.is(idx.zoneAt([25, 5]), null)
  assert.is(idx.zoneAt([5, -0.1]), null)
})

test('smallest zone wins when zones nest; shared wall goes to the first listed of equal size', () => {
  const idx = new ZoneIndex({
    floor: {
      zones: [
        { id: 'hall', kind: 'corridor', polygon: square(0, 0, 20, 20) },
        { id: 'desk', kind: 'checkin', polygon: square(2, 2, 2, 2) },
        { id: 'a', kind: 'staff', polygon: square(10, 0, 5, 5) },
        { id: 'b', kind: 'staff', polygon: square(15, 0, 5, 5) },
      ],
    },
  })
  assert.is(idx.zoneAt([3, 3]), 'desk')
  assert.is(idx.zoneAt([8, 8]), 'hall')
  assert.is(idx.zoneAt([15, 2]), 'a')
  assert.equal(idx.zonesAt([3, 3]), ['desk', 'hall'])
})

test('non-convex polygon', () => {
  const idx = new ZoneIndex({
    floor: {
      zones: [{ id: 'L', kind: 'corridor', polygon: [[0, 0], [10, 0], [10, 2], [2, 2], [2, 10], [0, 10], [0, 0]] }],
    },
  })
  assert.is(idx.zoneAt([1, 8]), 'L')
  assert.is(idx.zoneAt([8, 1]), 'L')
  assert.is(idx.zoneAt([6, 6]), null)
})

test.run()
