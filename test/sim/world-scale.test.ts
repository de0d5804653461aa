// The world of people at scale: a 10-hour day with 300 experts steps through (its speed is measured by benchmarks, not here).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { loadVenue, type Venue } from '../../src/config/index.js'
import { localMidnight } from '../../src/shared/time.js'
import { World } from '../../src/sim/world/index.js'
import { fromRoot } from '../helpers/paths.js'

const test = suite('sim/world: scale')
const MIN = 60_000
const DAY = localMidnight('2026-03-10', 'Asia/Shanghai')
const at = (hh: number, mm = 0): number => DAY + (hh * 60 + mm) * MIN
let venue: Venue

test.before(async () => {
  venue = (await loadVenue(fromRoot('config/venues/demo.yaml'))).venue
})

test('a 10-hour day with 300 experts: at least half present at the peak, and everyone gone at the end', () => {
  const big = structuredClone(venue)
  const rooms = big.floor.zones.filter((z) => z.kind === 'evaluation_room').map((z) => z.id)
  big.roster.projects = Array.from({ length: 30 }, (_, i) => ({
    id: `p-${i}`,
    session: i % 2 === 0 ? 'am' : 'pm',
    rooms: [rooms[i % rooms.length]!, rooms[(i + 1) % rooms.length]!],
    experts: Array.from({ length: 10 }, (_, j) => `sub-big${i}x${j}`),
  }))
  const w = new World(big, { seed: 1, start_ms: at(7, 30) })
  let present = 0
  for (let t = at(7, 30); t <= at(17, 30); t += 200) {
    w.step(t)
    if (t % 1_000 !== 0) continue
    const people = w.people() // once a sim second, as a camera simulation at 1 Hz would ask
    if (t % 60_000 === 0) present = Math.max(present, people.filter((p) => p.present).length)
  }
  assert.ok(present >= 150, String(present))
  w.step(at(18, 30))
  assert.equal(w.people().filter((p) => p.present && p.kind === 'expert').map((p) => p.id), [])
})

test.run()
