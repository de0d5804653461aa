// Synthetic cameras: the pure frame() (who is in view, track ids, noise) and publishing over a real
// broker as the venue's edge principals, with every payload checked by the broker against the contract.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Venue } from '../../src/config/index.js'
import { imageToFloor } from '../../src/config/homography.js'
import { Sightings } from '../../src/contract/index.js'
import { DEFAULT_NOISE, SyntheticCameras, type NoiseInput } from '../../src/sim/cameras/index.js'
import type { SimPerson } from '../../src/sim/world/types.js'
import { testVenue } from '../helpers/venue.js'

const test = suite('sim/cameras: synthetic cameras, frame by frame')
const T0 = Date.parse('2025-03-03T09:00:00.000Z')
const EXPERTS = ['sub-aaaa1111', 'sub-bbbb2222', 'sub-cccc3333', 'sub-dddd4444']
/** No noise on who is seen and named: the view and track tests then see every face, named right. */
const EXACT: NoiseInput = { missRate: 0, misidRate: 0, unknownRate: 0, jitter_m: 0 }

let venue: Venue
test.before(async () => {
  venue = await testVenue({
    roster: { sessions: [{ id: 'am', start: '08:30', end: '12:00' }], projects: [{ id: 'p1', session: 'am', rooms: ['room-1'], experts: EXPERTS }] },
  })
})

const person = (id: string, over: Partial<SimPerson> = {}): SimPerson => ({
  id,
  kind: 'expert',
  subject: 'sub-aaaa1111',
  floor: [5, 5],
  zone: 'corridor',
  heading: 0,
  spoof: false,
  present: true,
  ...over,
})

const cams = (noise: NoiseInput = EXACT, seed = 1) => new SyntheticCameras({ venue, seed, noise })
const subjects = (s: Sightings) => s.tracks.map((t) => t.subject)

test('defaults: each camera at its own fps capped at 5, the documented noise', () => {
  const c = new SyntheticCameras({ venue, seed: 1 })
  assert.equal(c.cameras, ['cam-a', 'cam-b', 'cam-c'])
  assert.is(c.fpsOf('cam-a'), 5)
  assert.is(new SyntheticCameras({ venue, seed: 1, fps: 2 }).fpsOf('cam-b'), 2)
  assert.equal(c.noise, DEFAULT_NOISE)
  assert.throws(() => new SyntheticCameras({ venue, seed: 1, noise: { missRate: 1.5 } }), /missRate/)
  assert.throws(() => c.frame('cam-z', [], T0), /no camera "cam-z"/)
})

test('who is in view: the zone is one of the camera\'s zones, or the point lies in one; present people only', () => {
  const c = cams()
  const people = [
    person('p-corr', { subject: 'sub-aaaa1111', floor: [5, 5], zone: 'corridor' }),
    person('p-room', { subject: 'sub-bbbb2222', floor: [15, 5], zone: 'room-1' }),
    person('p-nozone', { subject: 'sub-cccc3333', floor: [12, 3], zone: null }), // inside room-1's polygon
    person('p-away', { subject: 'sub-dddd4444', floor: [15, 5], zone: 'room-1', present: false }),
    person('p-outside', { subject: null, floor: [30, 30], zone: null }),
  ]
  assert.equal(subjects(c.frame('cam-a', people, T0)), ['sub-aaaa1111'])
  assert.equal(subjects(c.frame('cam-b', people, T0)), ['sub-bbbb2222', 'sub-cccc3333'])
  assert.equal(subjects(c.frame('cam-c', people, T0)), ['sub-bbbb2222', 'sub-cccc3333'])
  // one message per frame also when no one is in view
  const empty = c.frame('cam-a', [], T0 + 200)
  assert.equal(empty.tracks, [])
  assert.is(empty.frameId, 1)
  assert.is(empty.capturedAt, new Date(T0 + 200).toISOString())
  assert.equal([empty.width_px, empty.height_px], [1920, 1080])
  Sightings.parse(empty)
})

test('track ids are stable per camera while a person stays in view, and differ between people', () => {
  const c = cams()
  const people = [person('p-1', { floor: [3, 3] }), person('p-2', { subject: 'sub-bbbb2222', floor: [7, 7] })]
  const frames = Array.from({ length: 50 }, (_, i) => c.frame('cam-a', people, T0 + i * 200))
  const ids = (i: number) => frames.map((f) => f.tracks[i]?.trackId)
  assert.is(new Set(ids(0)).size, 1)
  assert.is(new Set(ids(1)).size, 1)
  assert.is.not(ids(0)[0], ids(1)[0])
  assert.equal(frames.map((f) => f.frameId), [...Array(50).keys()])
})

test('a person out of view for more than 2 s comes back with a new track id; a short gap keeps it', () => {
  const c = cams()
  const here = [person('p-1')]
  const gone = [person('p-1', { present: false })]
  const id = (t: number, people: SimPerson[]) => c.frame('cam-a', people, T0 + t).tracks[0]?.trackId
  const first = id(0, here)
  id(200, here)
  for (let t = 400; t < 2000; t += 200) assert.is(id(t, gone), undefined)
  assert.is(id(2000, here), first, 'back after 1.8 s: same track')
  for (let t = 2200; t <= 4400; t += 200) id(t, gone)
  const second = id(4600, here)
  assert.ok(second !== undefined && second !== first, `back after 2.6 s: new track (${first} -> ${second})`)
  // walking from one camera's zone to another's: each camera has its own track
  const inRoom = [person('p-1', { floor: [15, 5], zone: 'room-1' })]
  assert.ok(id(4800, inRoom) === undefined)
  assert.ok(c.frame('cam-b', inRoom, T0 + 4800).tracks[0]?.trackId !== undefined)
})

test('a photo at the camera scores low liveness; a live face high', () => {
  const c = cams({}, 3)
  const live: number[] = []
  const spoof: number[] = []
  for (let i = 0; i < 400; i++) {
    const f = c.frame('cam-a', [person('p-live', { floor: [3, 3] }), person('p-photo', { subject: 'sub-bbbb2222', floor: [7, 7], spoof: true })], T0 + i * 200)
    for (const t of f.tracks) (t.liveness! < 0.5 ? spoof : live).push(t.liveness!)
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
  assert.ok(spoof.length > 300 && live.length > 300, `${spoof.length} spoof, ${live.length} live`)
  assert.ok(Math.abs(mean(spoof) - 0.1) < 0.02, `spoof liveness mean ${mean(spoof)}`)
  assert.ok(Math.abs(mean(live) - 0.92) < 0.02, `live liveness mean ${mean(live)}`)
  // the venue's liveness_min is 0.5: no live face of the 400 frames falls below it, as on the bench
  assert.ok(Math.min(...live) >= 0.5)
})

test('someone not enrolled is reported "unknown" with a low score; a match scores high', () => {
  const c = cams()
  const f = c.frame('cam-a', [person('p-visitor', { kind: 'visitor', subject: null, floor: [3, 3] }), person('p-expert', { floor: [7, 7] })], T0)
  const [visitor, expert] = f.tracks
  assert.is(visitor?.subject, 'unknown')
  assert.ok(visitor!.score >= 0.1 && visitor!.score <= 0.3, `unknown score ${visitor?.score}`)
  assert.is(expert?.subject, 'sub-aaaa1111')
  assert.ok(expert!.score >= 0.75 && expert!.score <= 0.9, `match score ${expert?.score}`)
  assert.ok(expert!.quality > 0.6 && expert!.quality <= 1)
})

test('over many frames the misses, misidentifications, unknowns and jitter come close to the configured rates', () => {
  const c = new SyntheticCameras({ venue, seed: 42 })
  const n = 20_000
  const truth: [number, number] = [5, 5]
  let seen = 0
  let misid = 0
  let unknown = 0
  let sx = 0
  let sxx = 0
  for (let i = 0; i < n; i++) {
    const tr = c.frame('cam-a', [person('p-1', { floor: truth })], T0 + i * 200).tracks[0]
    if (tr === undefined) continue
    seen++
    if (tr.subject === 'unknown') unknown++
    else if (tr.subject !== 'sub-aaaa1111') {
      misid++
      assert.ok(EXPERTS.includes(tr.subject), `a misidentification names a roster subject, not ${tr.subject}`)
      assert.ok(tr.score >= 0.4, 'a wrong name passes the match threshold')
    }
    const dx = tr.floor![0] - truth[0]
    sx += dx
    sxx += dx * dx
  }
  const miss = 1 - seen / n
  const sd = Math.sqrt(sxx / seen - (sx / seen) ** 2)
  assert.ok(Math.abs(miss - 0.05) < 0.006, `miss rate ${miss}`)
  assert.ok(Math.abs(misid / seen - 0.01) < 0.003, `misid rate ${misid / seen}`)
  assert.ok(Math.abs(unknown / seen - 0.03) < 0.005, `unknown rate ${unknown / seen}`)
  assert.ok(Math.abs(sd - 0.15) < 0.01, `jitter sd ${sd} m`)
  assert.ok(Math.abs(sx / seen) < 0.01, `jitter mean ${sx / seen} m`)
})

test('the box is inside the image, maps back to the reported floor point, and every frame meets the contract', () => {
  const c = new SyntheticCameras({ venue, seed: 9 })
  const spots: Array<[string, [number, number], string]> = [
    ['corridor', [5, 5], 'cam-a'],
    ['corridor', [0.05, 9.95], 'cam-a'], // a corner: the box is shifted in, not cut off
    ['room-1', [19, 9], 'cam-b'], // outside the calibrated square: the box is still in the picture
  ]
  for (let i = 0; i < 200; i++) {
    for (const [zone, floor, cam] of spots) {
      const f = c.frame(cam, [person('p-1', { zone, floor })], T0 + i * 200)
      Sightings.parse(f)
      for (const tr of f.tracks) {
        const [x1, y1, x2, y2] = tr.box
        assert.ok(x1 >= 0 && y1 >= 0 && x2 <= 1920 && y2 <= 1080 && x2 - x1 >= 40 && y2 - y1 > x2 - x1, `box ${tr.box}`)
        if (zone === 'corridor' && floor[0] === 5) {
          const back = imageToFloor(venue.cameras[0]!, [(x1 + x2) / 2, (y1 + y2) / 2])!
          assert.ok(Math.hypot(back[0] - tr.floor![0], back[1] - tr.floor![1]) < 0.05, `box centre maps to ${back}, floor ${tr.floor}`)
        }
      }
    }
  }
})

test('deterministic by seed, and independent of the other cameras rendered in between', () => {
  const people = [person('p-1', { floor: [3, 3] }), person('p-2', { kind: 'visitor', subject: null, floor: [6, 6] }), person('p-3', { floor: [15, 5], zone: 'room-1' })]
  const run = (seed: number, others: boolean) => {
    const c = new SyntheticCameras({ venue, seed })
    return Array.from({ length: 30 }, (_, i) => {
      if (others) c.frame('cam-b', people, T0 + i * 200)
      return c.frame('cam-a', people, T0 + i * 200)
    })
  }
  assert.equal(run(5, false), run(5, true))
  assert.not.equal(run(5, false), run(6, false))
})

test.run()
