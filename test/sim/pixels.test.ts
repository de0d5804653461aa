/**
 * Issue 7, pixel mode: one scenario run twice against the real roles, once with every camera
 * synthetic, once with two cameras as real video (faces from ../shared/faces rendered where the world
 * puts people, encoded by ffmpeg, served by the GStreamer RTSP server, read and recognised by a real
 * edge node). The alerts the scenario is about are the same; the pixel cameras' sightings came from the
 * edge, which named the expert who walked into the wrong room.
 *
 * Slow by nature: video runs in real time (about two minutes for the pixel run). Needs ffmpeg, the
 * RTSP server's Debian packages (.ci/run installs them), the model pack and the photos (needFaces).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Alert } from '../../src/contract/index.js'
import { loadVenue } from '../../src/config/index.js'
import { principalLogins } from '../../src/cli/connect.js'
import { formatScore } from '../../src/cli/commands/sim.js'
import { silentLogger } from '../../src/shared/log.js'
import { runScenario, type RunResult } from '../../src/sim/run.js'
import { loadScenario } from '../../src/sim/scenario.js'
import { fromRoot } from '../helpers/paths.js'
import { requireRtsp } from '../helpers/rtsp.js'
import { FACES_DIR, needFaces } from '../vision/photos.js'

const t = suite('pixel mode: cameras through RTSP and a real edge node give the alerts of synthetic mode')
const photos = needFaces(t)
/** The room the expert walks into, and the corridor he crosses to get there. */
const PIXEL_CAMERAS = ['cam-09', 'cam-02']
const WALKER = 'sub-n8ooby'

if (photos !== undefined) {
  const venueFile = fromRoot('config/venues/demo.yaml')
  const { venue } = await loadVenue(venueFile)
  const login = await principalLogins(venue)
  const { scenario } = await loadScenario(fromRoot('test/fixtures/scenarios/pixels-wrong-room.yaml'))
  let synthetic: RunResult
  let pixels: RunResult

  t.before(async () => {
    try {
      requireRtsp()
      // synthetic mode needs no real time: the same world, faster
      synthetic = await runScenario({ venue, scenario, login, logger: silentLogger(), speed: 5 })
      pixels = await runScenario({ venue, scenario, login, logger: silentLogger(), pixels: { cameras: PIXEL_CAMERAS, venueFile, facesDir: FACES_DIR } })
    } catch (err) {
      // uvu swallows errors thrown by hooks: say what broke
      console.error('pixel mode runs failed:', err)
      throw err
    }
  })

  /** An alert as the scenario judges it: rule, zone, and the subjects it is about. */
  const key = (a: Alert): string => `${a.rule} @${a.zone ?? '-'} [${[...a.subjects].sort().join(',')}]`
  /** The alerts that answer the scenario's required expectations (optional ones may come or not). */
  const required = (r: RunResult): string[] =>
    r.score.results
      .filter((x) => !x.expect.optional && x.alertId !== null)
      .map((x) => r.alerts.find((a) => a.id === x.alertId))
      .filter((a): a is Alert => a !== undefined)
      .map(key)
      .sort()

  /** What the edge named, judged against where the world had people: says why an alert went wrong. */
  const truth = (r: RunResult): string =>
    Object.entries(r.pixels ?? {})
      .map(([camera, s]) => `${camera}: ${s.truth.named} named sightings, ${s.truth.misnamed} misnamed, position error median ${s.truth.error_m.median.toFixed(2)} m (max ${s.truth.error_m.max.toFixed(1)}), video lag median ${s.truth.lag_ms.median} ms (max ${s.truth.lag_ms.max})${s.truth.examples.map((e) => `\n    ${e}`).join('')}`)
      .join('\n  ')

  t('both runs find every expected alert and no other', () => {
    console.log(`  ${truth(pixels)}`)
    for (const [mode, r] of [['synthetic', synthetic], ['pixel', pixels]] as const) {
      const said = `${mode}: ${formatScore(r.score)}${mode === 'pixel' ? `\n  ${truth(r)}` : ''}`
      assert.is(r.score.recall, 1, said)
      assert.equal(r.score.falseAlerts, [], said)
    }
  })

  t('the pixel run gives the same alerts as the synthetic run (rule, subjects, zone)', () => {
    assert.equal(required(pixels), required(synthetic))
    assert.equal(required(pixels), [`wrong-room @room-6 [${WALKER}]`])
  })

  t('the pixel cameras\' sightings came from the edge node, which recognised the faces', () => {
    const stats = pixels.pixels ?? {}
    assert.equal(Object.keys(stats).sort(), [...PIXEL_CAMERAS].sort())
    for (const camera of PIXEL_CAMERAS) {
      const s = stats[camera]!
      assert.ok(s.rendered > 0 && s.edgeFrames > 0 && s.analysed > 0, `${camera}: ${JSON.stringify(s)}`)
      assert.ok(s.sightings > 0, `${camera}: the edge published no sightings`)
      // the names follow the faces: few sightings name someone standing elsewhere
      assert.ok(s.truth.named > 0 && s.truth.misnamed <= s.truth.named / 100, `${camera}: ${JSON.stringify(s.truth)}`)
    }
    const room = stats['cam-09']!
    assert.ok((room.subjects[WALKER] ?? 0) > 0, `the edge never named ${WALKER} in room-6: ${JSON.stringify(room.subjects)}`)
    const named = Object.keys(room.subjects).filter((s) => s !== 'unknown')
    assert.ok(named.length >= 4, `room-6's experts are named by the edge: ${JSON.stringify(room.subjects)}`)
  })
}

t.run()
