/**
 * Every rule, end to end: sightings (or camera / robot status) published by edge and fleet clients
 * through a real broker into a running monitor; the console client must receive exactly the expected
 * alert, and none for the matching normal sequence played first.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Alert } from '../../src/contract/venue/alerts.js'
import { sleep } from '../helpers/mqtt.js'
import { Rig } from './rig.js'
import { BEFORE_SESSION, X, type RuleInput } from './rig-venue.js'

const at = (zone: keyof typeof X, dx = 0): [number, number] => [X[zone] + dx, 5]
/** After the normal sequence, and after the expected alert, wait this long for anything unexpected. */
const SETTLE_MS = 400

async function rig(rule: RuleInput, clockAt?: number): Promise<Rig> {
  return Rig.withRules([rule], clockAt === undefined ? {} : { clockAt })
}

async function expectNone(r: Rig, why: string): Promise<void> {
  await sleep(SETTLE_MS)
  assert.equal(
    r.distinct().map((a) => [a.rule, a.subjects, a.zone]),
    [],
    `normal sequence (${why}) raised an alert`,
  )
}

async function expectOnly(r: Rig, want: Partial<Pick<Alert, 'rule' | 'kind' | 'subjects' | 'zone' | 'cameras' | 'robots' | 'severity'>>): Promise<Alert> {
  const a = await r.waitFor((x) => x.rule === want.rule, 5000, `${want.rule} alert`)
  await sleep(SETTLE_MS)
  const all = r.distinct()
  assert.is(all.length, 1, `exactly one alert expected, got ${JSON.stringify(all.map((x) => [x.rule, x.subjects, x.zone]))}`)
  for (const [k, v] of Object.entries(want)) assert.equal(a[k as keyof Alert], v, `alert.${k}`)
  assert.is(a.state, 'open')
  return a
}

async function scenario(rule: RuleInput, play: (r: Rig) => Promise<void>, clockAt?: number): Promise<Rig> {
  const r = await rig(rule, clockAt)
  try {
    await play(r)
  } catch (err) {
    await r.stop()
    throw err
  }
  return r
}

test('unknown_in_restricted: an unknown person in the vault', async () => {
  const r = await scenario({ id: 'uir', kind: 'unknown_in_restricted', severity: 'high', dwell_s: 0.5 }, async (r) => {
    await r.hold('cam-b', [{ trackId: 'u1', floor: at('corridor') }], 1000)
    await r.hold('cam-b', [{ trackId: 'e1', subject: 'sub-aaaa1111', floor: at('room-1') }], 1000)
    await expectNone(r, 'unknown in the corridor, expert in their room')
    await r.hold('cam-c', [{ trackId: 'u2', floor: at('vault') }], 1000)
    await expectOnly(r, { rule: 'uir', kind: 'unknown_in_restricted', subjects: ['unknown'], zone: 'vault', cameras: ['cam-c'], severity: 'high' })
  })
  await r.stop()
})

test('wrong_room: an expert in the other project\'s room', async () => {
  const r = await scenario({ id: 'wr', kind: 'wrong_room', severity: 'medium', grace_s: 0.5 }, async (r) => {
    await r.hold('cam-b', [{ trackId: 'e1', subject: 'sub-aaaa1111', floor: at('room-1') }], 1000)
    await expectNone(r, 'expert in their own room')
    await r.hold('cam-b', [{ trackId: 'e1', subject: 'sub-aaaa1111', floor: at('room-2') }], 1000)
    await expectOnly(r, { rule: 'wr', subjects: ['sub-aaaa1111'], zone: 'room-2' })
  })
  await r.stop()
})

test('cross_project_contact: experts of two projects together in the restroom', async () => {
  const r = await scenario({ id: 'cpc', kind: 'cross_project_contact', severity: 'high', distance_m: 2, duration_s: 0.5 }, async (r) => {
    await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('restroom') }, { trackId: 'a2', subject: 'sub-aaaa2222', floor: at('restroom', 1) }], 1000)
    await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('room-1') }, { trackId: 'b1', subject: 'sub-bbbb1111', floor: at('room-2') }], 1000)
    await expectNone(r, 'same project together; two projects in their own rooms')
    await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('corridor') }, { trackId: 'b1', subject: 'sub-bbbb1111', floor: at('corridor', 1) }], 1000)
    await expectOnly(r, { rule: 'cpc', subjects: ['sub-aaaa1111', 'sub-bbbb1111'], zone: 'corridor' })
  })
  await r.stop()
})

test('expert_with_unauthorised: an expert with an unknown person', async () => {
  const r = await scenario({ id: 'ewu', kind: 'expert_with_unauthorised', severity: 'high', distance_m: 1.5, duration_s: 0.5 }, async (r) => {
    await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('corridor') }, { trackId: 's1', subject: 'sub-ssss0001', floor: at('corridor', 1) }], 1000)
    await expectNone(r, 'expert with a host in a zone the host may enter')
    await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('restroom') }, { trackId: 'u1', floor: at('restroom', 1) }], 1000)
    await expectOnly(r, { rule: 'ewu', subjects: ['sub-aaaa1111', 'unknown'], zone: 'restroom' })
  })
  await r.stop()
})

test('expert_absent: out of the room too long during the session', async () => {
  const r = await scenario({ id: 'abs', kind: 'expert_absent', severity: 'medium', absence_s: 1, earlyLeave: true }, async (r) => {
    const expert = (zone: keyof typeof X) => [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at(zone) }]
    await r.hold('cam-b', expert('room-1'), 300)
    await r.hold('cam-b', expert('restroom'), 500)
    await r.hold('cam-b', expert('room-1'), 1000)
    await expectNone(r, 'a short restroom break')
    await r.hold('cam-b', expert('restroom'), 1500)
    await expectOnly(r, { rule: 'abs', subjects: ['sub-aaaa1111'], zone: 'restroom' })
  })
  await r.stop()
})

test('expert_absent: leaving through the exit before the session ends', async () => {
  const r = await scenario({ id: 'early', kind: 'expert_absent', severity: 'medium', absence_s: 600, earlyLeave: true }, async (r) => {
    await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('room-1') }], 300)
    await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('corridor') }], 300)
    await expectNone(r, 'walking in the corridor')
    await r.hold('cam-c', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('exit') }], 300)
    await expectOnly(r, { rule: 'early', subjects: ['sub-aaaa1111'], zone: 'exit' })
  })
  await r.stop()
})

test('loitering: an unknown person staying in the restroom', async () => {
  const r = await scenario({ id: 'loi', kind: 'loitering', severity: 'low', dwell_s: 1 }, async (r) => {
    // through the corridor into room-1 (not a loitering zone) in a second
    await r.hold('cam-b', [{ trackId: 'u1', floor: at('corridor') }], 1000, 100, (_f, t) => [25 + t / 100, 5])
    await r.hold('cam-b', [{ trackId: 's1', subject: 'sub-ssss0001', floor: at('corridor') }], 1500)
    await expectNone(r, 'walking through; a host on rounds')
    await r.hold('cam-b', [{ trackId: 'u2', floor: at('restroom') }], 1500)
    await expectOnly(r, { rule: 'loi', subjects: ['unknown'], zone: 'restroom' })
  })
  await r.stop()
})

test('outside_session_window: an expert in the venue before the arrival window (normal: during the session)', async () => {
  const rule: RuleInput = { id: 'osw', kind: 'outside_session_window', severity: 'medium', margin_s: 600 }
  const normal = await scenario(rule, async (r) => {
    await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('corridor') }], 500)
    await expectNone(r, 'an expert at 10:00 during an 08:30-12:00 session')
  })
  await normal.stop()
  const r = await scenario(
    rule,
    async (r) => {
      await r.hold('cam-b', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: at('corridor') }], 500)
      await expectOnly(r, { rule: 'osw', subjects: ['sub-aaaa1111'], zone: 'corridor' })
    },
    BEFORE_SESSION,
  )
  await r.stop()
})

test('crowding: three people in a restroom for two', async () => {
  const r = await scenario({ id: 'crowd', kind: 'crowding', severity: 'low', zones: ['restroom'] }, async (r) => {
    const people = (n: number) => Array.from({ length: n }, (_, i) => ({ trackId: `u${i}`, floor: at('restroom', i * 1.5 - 2) }))
    await r.hold('cam-b', people(2), 800)
    await expectNone(r, 'two people')
    await r.hold('cam-b', people(3), 800)
    await expectOnly(r, { rule: 'crowd', subjects: [], zone: 'restroom' })
  })
  await r.stop()
})

test('spoof_attempt: a photo held up at check-in', async () => {
  const r = await scenario({ id: 'spoof', kind: 'spoof_attempt', severity: 'critical', liveness_min: 0.5 }, async (r) => {
    await r.hold('cam-a', [{ trackId: 'c1', subject: 'sub-aaaa1111', floor: at('checkin'), liveness: 0.93 }], 1000)
    await r.hold('cam-b', [{ trackId: 'c2', subject: 'sub-aaaa2222', floor: at('corridor'), liveness: 0.1 }], 600)
    await expectNone(r, 'a live face at check-in; a low score away from check-in')
    await r.hold('cam-a', [{ trackId: 'c3', subject: 'sub-aaaa2222', floor: at('checkin'), liveness: 0.12 }], 600)
    await expectOnly(r, { rule: 'spoof', subjects: ['sub-aaaa2222'], zone: 'checkin', cameras: ['cam-a'], severity: 'critical' })
  })
  await r.stop()
})

test('identity_conflict: one subject in two places at once', async () => {
  const r = await scenario({ id: 'idc', kind: 'identity_conflict', severity: 'high' }, async (r) => {
    // crossing from checkin (cam-a) into the corridor (cam-b): both see the expert at the boundary
    for (let i = 0; i < 6; i++) {
      await r.see('cam-a', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: [19.8, 5] }])
      await r.see('cam-b', [{ trackId: 'b1', subject: 'sub-aaaa1111', floor: [20.2, 5] }])
      await sleep(100)
    }
    await expectNone(r, 'a hand-off between two cameras')
    for (let i = 0; i < 3; i++) {
      await r.see('cam-b', [{ trackId: 'b2', subject: 'sub-bbbb1111', floor: at('room-2') }])
      await r.see('cam-c', [{ trackId: 'c9', subject: 'sub-bbbb1111', floor: at('vault') }])
      await sleep(100)
    }
    await expectOnly(r, { rule: 'idc', subjects: ['sub-bbbb1111'] })
  })
  await r.stop()
})

test('tailgating: an unknown person through the gate behind an expert', async () => {
  const r = await scenario({ id: 'tail', kind: 'tailgating', severity: 'high', gate: 'g1', window_s: 1 }, async (r) => {
    const walk = (t: number): [number, number] => [6 + t / 100, 5]
    await r.hold('cam-a', [{ trackId: 'a1', subject: 'sub-aaaa1111', floor: [6, 5] }], 800, 100, (_f, t) => walk(t))
    await expectNone(r, 'an expert through the gate alone')
    await sleep(1000) // the next crossing falls outside this one's window
    await r.hold(
      'cam-a',
      [
        { trackId: 'a2', subject: 'sub-aaaa2222', floor: [6, 5] },
        { trackId: 'u1', floor: [5, 5] },
      ],
      1000,
      100,
      (f, t) => [walk(t)[0] - (f.trackId === 'u1' ? 1 : 0), 5],
    )
    await expectOnly(r, { rule: 'tail', subjects: ['sub-aaaa2222', 'unknown'], zone: 'checkin' })
  })
  await r.stop()
})

test('camera_health: a camera gone dark', async () => {
  const r = await scenario({ id: 'cam', kind: 'camera_health', severity: 'medium', after_s: 0.5 }, async (r) => {
    const since = () => new Date(r.now()).toISOString()
    await r.cameraStatus({ camera: 'cam-b', node: 'edge-1', state: 'online', since: since(), fps: 10, lastFrameAt: since() })
    await r.cameraStatus({ camera: 'cam-a', node: 'edge-1', state: 'stalled', since: since(), fps: 0, lastFrameAt: since() })
    await sleep(800)
    await expectNone(r, 'online; stalled is not in the rule\'s statuses')
    await r.cameraStatus({ camera: 'cam-c', node: 'edge-2', state: 'dark', since: since(), fps: 10, lastFrameAt: since(), detail: 'mean luma 3' })
    await expectOnly(r, { rule: 'cam', subjects: [], cameras: ['cam-c'], zone: 'vault' })
  })
  await r.stop()
})

test('robot_fault: a robot reports it is stuck', async () => {
  const r = await scenario({ id: 'rf', kind: 'robot_fault', severity: 'high' }, async (r) => {
    await r.robotStatus({ robot: 'r1', battery_pct: 80 })
    await r.robotStatus({ robot: 'r2', kind: 'delivery', battery_pct: 60, mode: 'charging' })
    await expectNone(r, 'healthy robots')
    await r.robotStatus({ robot: 'r1', mode: 'fault', faults: [{ kind: 'stuck', since: new Date(r.now()).toISOString(), detail: 'no progress for 60 s' }] })
    await expectOnly(r, { rule: 'rf', subjects: [], robots: ['r1'], zone: 'corridor' })
  })
  await r.stop()
})

test.run()
