import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Fusion } from '../../src/monitor/fusion.js'
import { PersonTrack } from '../../src/contract/venue/tracks.js'
import type { Sightings, SightingTrack } from '../../src/contract/venue/sightings.js'
import { testVenue } from '../helpers/venue.js'

type P = [number, number]
const pair = (image: P, floor: P) => ({ image, floor })
/** image (0..1920, 0..1080) -> floor (x0..x0+10, 0..10) */
const calib = (x0: number) => ({
  pairs: [pair([0, 0], [x0, 0]), pair([1920, 0], [x0 + 10, 0]), pair([1920, 1080], [x0 + 10, 10]), pair([0, 1080], [x0, 10])],
})

const venue = await testVenue({
  cameras: [
    { id: 'cam-a', rtspUrl: 'rtsp://127.0.0.1:8554/a', edgeNode: 'edge-1', zones: ['corridor'], calibration: calib(0) },
    { id: 'cam-b', rtspUrl: 'rtsp://127.0.0.1:8554/b', edgeNode: 'edge-1', zones: ['room-1'], calibration: calib(10) },
    { id: 'cam-c', rtspUrl: 'rtsp://127.0.0.1:8554/c', edgeNode: 'edge-2', zones: ['room-1'], calibration: calib(10) },
  ],
  roster: {
    sessions: [{ id: 'am', start: '08:30', end: '12:00' }],
    projects: [{ id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111'] }],
    staff: [{ subject: 'sub-staff001', role: 'host', zones: ['corridor'] }],
  },
})

const X0: Record<string, number> = { 'cam-a': 0, 'cam-b': 10, 'cam-c': 10 }
const T0 = Date.parse('2025-05-01T09:00:00.000Z')
let frame = 0

/** A face box (40 px square) whose centre maps to floor point p through the camera's calibration. */
function boxAt(camera: string, p: P): [number, number, number, number] {
  const u = (p[0] - X0[camera]!) * 192
  const v = p[1] * 108
  return [u - 20, v - 20, u + 20, v + 20]
}

function seen(camera: string, trackId: string, p: P, subject = 'unknown', floor: P | null = null): SightingTrack {
  return { trackId, box: boxAt(camera, p), floor, subject, score: 0.9, liveness: 0.95, quality: 0.8 }
}

function msg(camera: string, atMs: number, tracks: SightingTrack[]): Sightings {
  return {
    schemaVersion: '1.0.0',
    timestamp: new Date(T0 + atMs).toISOString(),
    camera,
    frameId: frame++,
    capturedAt: new Date(T0 + atMs).toISOString(),
    width_px: 1920,
    height_px: 1080,
    tracks,
  }
}

const near = (a: readonly number[], b: readonly number[], eps = 1e-6): boolean => a.every((x, i) => Math.abs(x - b[i]!) < eps)

test('box centre goes through the homography; a carried floor point is used as is', () => {
  const f = new Fusion(venue)
  const u1 = f.ingest(msg('cam-b', 0, [seen('cam-b', '1', [12, 3])]), T0)
  assert.ok(near(u1.changed[0]!.floor, [12, 3]))
  assert.is(u1.changed[0]!.zone, 'room-1')
  const u2 = f.ingest(msg('cam-a', 0, [seen('cam-a', '9', [1, 1], 'unknown', [4, 6])]), T0)
  assert.ok(near(u2.changed[0]!.floor, [4, 6]))
  assert.is(u2.changed[0]!.zone, 'corridor')
})

test('a subject seen by two cameras at consistent points is one track with both cameras', () => {
  const f = new Fusion(venue)
  f.ingest(msg('cam-b', 0, [seen('cam-b', '1', [14, 5], 'sub-aaaa1111')]), T0)
  const u = f.ingest(msg('cam-c', 100, [seen('cam-c', '7', [14.4, 5.2], 'sub-aaaa1111')]), T0 + 100)
  assert.is(u.conflicts.length, 0)
  const all = f.tracks()
  assert.is(all.length, 1)
  const t = all[0]!
  assert.is(t.subject, 'sub-aaaa1111')
  assert.is(t.category, 'expert')
  assert.is(t.project, 'p1')
  assert.is(t.zone, 'room-1')
  assert.equal(t.cameras, ['cam-b', 'cam-c'])
  assert.is(t.lastSeenAt, new Date(T0 + 100).toISOString())
  assert.ok(PersonTrack.safeParse(t).success)
})

test('roster categories: staff, other', () => {
  const f = new Fusion(venue)
  f.ingest(msg('cam-a', 0, [seen('cam-a', '1', [2, 2], 'sub-staff001'), seen('cam-a', '2', [8, 8], 'sub-zzzz9999')]), T0)
  const bySubject = new Map(f.tracks().map((t) => [t.subject, t]))
  assert.is(bySubject.get('sub-staff001')!.category, 'staff')
  assert.is(bySubject.get('sub-staff001')!.project, null)
  assert.is(bySubject.get('sub-zzzz9999')!.category, 'other')
})

test('an unknown person walking from one camera view into another is one track', () => {
  const f = new Fusion(venue)
  for (let i = 0; i <= 4; i++) f.ingest(msg('cam-a', i * 200, [seen('cam-a', 'a1', [8 + i * 0.4, 5])]), T0 + i * 200)
  // leaves cam-a's view, shows up in cam-b's a moment later
  for (let i = 0; i <= 4; i++) f.ingest(msg('cam-b', 1400 + i * 200, [seen('cam-b', 'b3', [10.4 + i * 0.4, 5])]), T0 + 1400 + i * 200)
  const all = f.tracks()
  assert.is(all.length, 1)
  assert.is(all[0]!.subject, 'unknown')
  assert.is(all[0]!.category, 'unknown')
  assert.is(all[0]!.zone, 'room-1')
  assert.equal(all[0]!.cameras, ['cam-a', 'cam-b'], 'both saw it within view_ms')
  assert.equal(f.tracks(T0 + 3000).at(0)?.cameras, ['cam-b'])
})

test('an unknown seen by two overlapping cameras at once is one track', () => {
  const f = new Fusion(venue)
  f.ingest(msg('cam-b', 0, [seen('cam-b', '1', [15, 5])]), T0)
  f.ingest(msg('cam-c', 50, [seen('cam-c', '4', [15.5, 5.3])]), T0 + 50)
  assert.is(f.tracks().length, 1)
  assert.equal(f.tracks()[0]!.cameras, ['cam-b', 'cam-c'])
})

test('two unknowns far apart are two tracks; two people in one frame are two tracks', () => {
  const f = new Fusion(venue)
  f.ingest(msg('cam-b', 0, [seen('cam-b', '1', [11, 1])]), T0)
  f.ingest(msg('cam-c', 50, [seen('cam-c', '1', [19, 9])]), T0 + 50)
  assert.is(f.tracks().length, 2)
  const g = new Fusion(venue)
  g.ingest(msg('cam-b', 0, [seen('cam-b', '1', [15, 5]), seen('cam-b', '2', [15.5, 5])]), T0)
  assert.is(g.tracks().length, 2)
  // the tracker keeps them apart in later frames too
  g.ingest(msg('cam-b', 200, [seen('cam-b', '1', [15.1, 5]), seen('cam-b', '2', [15.6, 5])]), T0 + 200)
  assert.is(g.tracks().length, 2)
})

test('cameras whose views do not overlap cannot see one unknown at once', () => {
  const f = new Fusion(venue)
  f.ingest(msg('cam-a', 0, [seen('cam-a', '1', [9.8, 5])]), T0)
  f.ingest(msg('cam-b', 0, [seen('cam-b', '1', [10.2, 5])]), T0 + 20)
  f.ingest(msg('cam-a', 200, [seen('cam-a', '1', [9.8, 5])]), T0 + 200)
  assert.is(f.tracks().length, 2)
})

test('an unknown per-camera track that gets a subject merges into the subject track', () => {
  const f = new Fusion(venue)
  f.ingest(msg('cam-b', 0, [seen('cam-b', '1', [14, 5], 'sub-aaaa1111')]), T0)
  const u0 = f.ingest(msg('cam-c', 100, [seen('cam-c', '5', [14.2, 5])]), T0 + 100)
  assert.is(f.tracks().length, 2, 'unknown first: no identity yet')
  const unknownId = u0.changed[0]!.id
  const u = f.ingest(msg('cam-c', 300, [seen('cam-c', '5', [14.3, 5], 'sub-aaaa1111')]), T0 + 300)
  assert.equal(u.removed, [unknownId])
  const all = f.tracks()
  assert.is(all.length, 1)
  assert.is(all[0]!.subject, 'sub-aaaa1111')
  assert.equal(all[0]!.cameras, ['cam-b', 'cam-c'])
  // later unknown frames of that per-camera track stay with the subject
  f.ingest(msg('cam-c', 500, [seen('cam-c', '5', [14.4, 5])]), T0 + 500)
  assert.is(f.tracks().length, 1)
})

test('an unknown track that gets a subject with no track yet keeps its id', () => {
  const f = new Fusion(venue)
  const id = f.ingest(msg('cam-a', 0, [seen('cam-a', '1', [3, 3])]), T0).changed[0]!.id
  const u = f.ingest(msg('cam-a', 200, [seen('cam-a', '1', [3.2, 3], 'sub-staff001')]), T0 + 200)
  assert.equal(u.removed, [])
  assert.is(u.changed[0]!.id, id)
  assert.is(u.changed[0]!.category, 'staff')
})

test('teleport: the same subject 8 m apart within 0.5 s is one conflict', () => {
  const f = new Fusion(venue)
  f.ingest(msg('cam-a', 0, [seen('cam-a', '1', [5, 5], 'sub-aaaa1111')]), T0)
  const u = f.ingest(msg('cam-b', 400, [seen('cam-b', '2', [13, 5], 'sub-aaaa1111')]), T0 + 400)
  assert.is(u.conflicts.length, 1)
  const c = u.conflicts[0]!
  assert.is(c.subject, 'sub-aaaa1111')
  assert.is(c.a.camera, 'cam-a')
  assert.is(c.b.camera, 'cam-b')
  assert.ok(near(c.a.floor, [5, 5]))
  assert.ok(near(c.b.floor, [13, 5]))
  assert.is(c.a.at, new Date(T0).toISOString())
  assert.is(c.b.at, new Date(T0 + 400).toISOString())
  assert.ok(Math.abs(c.distance_m - 8) < 1e-6)
  // the same pair keeps disagreeing: not reported again
  const again = f.ingest(msg('cam-a', 450, [seen('cam-a', '1', [5, 5], 'sub-aaaa1111')]), T0 + 450)
  assert.is(again.conflicts.length, 0)
  assert.is(f.tracks().length, 1)
})

test('walking plausibly between cameras is no conflict', () => {
  const f = new Fusion(venue)
  f.ingest(msg('cam-a', 0, [seen('cam-a', '1', [8, 5], 'sub-aaaa1111')]), T0)
  const u = f.ingest(msg('cam-b', 2000, [seen('cam-b', '2', [12, 5], 'sub-aaaa1111')]), T0 + 2000)
  assert.is(u.conflicts.length, 0)
})

test('tracks expire after lost_ms without a sighting', () => {
  const f = new Fusion(venue)
  const id = f.ingest(msg('cam-a', 0, [seen('cam-a', '1', [3, 3])]), T0).changed[0]!.id
  f.ingest(msg('cam-b', 5000, [seen('cam-b', '1', [18, 8], 'sub-aaaa1111')]), T0 + 5000)
  assert.equal(f.expire(T0 + 10_000), [])
  assert.is(f.tracks().length, 2)
  assert.equal(f.expire(T0 + 10_001), [id])
  assert.is(f.tracks().length, 1)
  // a new sighting of the same per-camera id after expiry starts a new track
  const u = f.ingest(msg('cam-a', 20_000, [seen('cam-a', '1', [3, 3])]), T0 + 20_000)
  assert.is(u.removed.length, 1, 'the subject track, last seen at 5 s, expires at 20 s')
  assert.not.equal(u.changed[0]!.id, id)
  // ingest expires by the time it is given; custom lost_ms
  const g = new Fusion(venue, { lost_ms: 1000 })
  g.ingest(msg('cam-a', 0, [seen('cam-a', '1', [3, 3])]), T0)
  const v = g.ingest(msg('cam-b', 1500, []), T0 + 1500)
  assert.is(v.removed.length, 1)
  assert.is(g.tracks().length, 0)
})

test('deterministic: the same input gives the same output', () => {
  const run = () => {
    const f = new Fusion(venue)
    const out: unknown[] = []
    out.push(f.ingest(msg('cam-b', 0, [seen('cam-b', '1', [11, 1]), seen('cam-b', '2', [15, 5], 'sub-aaaa1111')]), T0))
    out.push(f.ingest(msg('cam-a', 100, [seen('cam-a', '1', [5, 5], 'sub-aaaa1111')]), T0 + 100))
    out.push(f.tracks())
    return JSON.stringify(out)
  }
  assert.is(run(), run())
})

test.run()
