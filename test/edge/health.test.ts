import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CameraHealth } from '../../src/edge/health/index.js'
import type { HealthReport } from '../../src/edge/health-port.js'
import type { RgbImage } from '../../src/edge/health/thumbnail.js'

/**
 * Camera health on synthetic 320x180 frames at 5 fps with a driven clock: each state is reached within
 * the 3 s of its cause and left when the cause goes, and a normal scene (people walking, sensor
 * noise, light slowly changing) raises nothing.
 */
const t = suite('edge camera health (synthetic frames)')
const W = 320
const H = 180
const STEP = 200 // ms between frames: 5 fps

/** A deterministic pseudo-random generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32)
}

/** A room: wall gradient, furniture blocks, fine texture. `seed` changes the layout (another view). */
function room(seed: number): Uint8Array {
  const r = rng(seed)
  const img = new Uint8Array(W * H * 3)
  const blocks = Array.from({ length: 8 }, () => ({ x: r() * W, y: r() * H, w: 20 + r() * 80, h: 20 + r() * 60, v: 40 + r() * 170 }))
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = 110 + (60 * y) / H + ((x >> 2) + (y >> 2)) % 2 * 14
      for (const b of blocks) if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) v = b.v + ((x + y) % 3) * 8
      const o = (y * W + x) * 3
      img[o] = v + 10
      img[o + 1] = v
      img[o + 2] = v - 10
    }
  }
  return img
}

interface Person {
  x: number
  y: number
  r: number
}

/** Unit-spread noise; each frame reads it from its own offset, so every pixel's noise changes. */
const NOISE = (() => {
  const r = rng(42)
  return Float32Array.from({ length: W * H * 3 + 8192 }, () => (r() + r() + r() - 1.5) * 2)
})()

/** Scene + people (filled discs) + brightness gain + sensor noise of `sigma` grey levels. */
function shoot(scene: Uint8Array, opts: { people?: Person[]; gain?: number; sigma?: number; seed?: number } = {}): RgbImage {
  const out = new Uint8Array(scene.length)
  const off = ((opts.seed ?? 1) * 7919) % 8192
  const gain = opts.gain ?? 1
  const sigma = opts.sigma ?? 2
  for (let i = 0; i < scene.length; i++) out[i] = scene[i]! * gain + NOISE[off + i]! * sigma
  for (const p of opts.people ?? []) {
    for (let y = Math.max(0, Math.floor(p.y - p.r)); y < Math.min(H, p.y + p.r); y++) {
      for (let x = Math.max(0, Math.floor(p.x - p.r)); x < Math.min(W, p.x + p.r); x++) {
        if ((x - p.x) ** 2 + (y - p.y) ** 2 > p.r ** 2) continue
        const o = (y * W + x) * 3
        out[o] = 60 * gain
        out[o + 1] = 50 * gain
        out[o + 2] = 90 * gain
      }
    }
  }
  return { data: out, width: W, height: H }
}

function blur(img: Uint8Array, radius: number): Uint8Array {
  const out = new Uint8Array(img.length)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0
        let n = 0
        for (let dy = -radius; dy <= radius; dy++) {
          for (let dx = -radius; dx <= radius; dx++) {
            const yy = Math.min(H - 1, Math.max(0, y + dy))
            const xx = Math.min(W - 1, Math.max(0, x + dx))
            s += img[(yy * W + xx) * 3 + c]!
            n++
          }
        }
        out[(y * W + x) * 3 + c] = s / n
      }
    }
  }
  return out
}

const walkers = (i: number): Person[] => [
  { x: (i * 7) % (W + 60) - 30, y: 100, r: 22 },
  { x: W - ((i * 4) % (W + 60)) + 30, y: 120, r: 28 },
]

/** A health analyser fed at 5 fps on a driven clock, recording every change with its time. */
class Rig {
  now = 1_000_000
  i = 0
  readonly changes: Array<HealthReport & { at: number }> = []
  readonly health = new CameraHealth(this.now)

  constructor() {
    this.health.onChange((r) => this.changes.push({ ...r, at: this.now }))
    this.health.observeSource({ state: 'streaming', since: this.now }, this.now)
  }

  run(seconds: number, frame: (i: number) => RgbImage): this {
    for (const end = this.now + seconds * 1000; this.now < end; this.now += STEP, this.i++) this.health.observeFrame(frame(this.i), this.now)
    return this
  }

  /** Time from `from` to the first change into `state`, ms. */
  timeTo(state: string, from: number): number {
    const c = this.changes.find((x) => x.state === state && x.at >= from)
    if (c === undefined) throw new Error(`never ${state}; changes: ${JSON.stringify(this.changes.map((x) => [x.state, x.at - from]))}`)
    return c.at - from
  }

  states(from = 0): string[] {
    return this.changes.filter((c) => c.at >= from).map((c) => c.state)
  }
}

const base = room(7)
const normal = (i: number): RgbImage => shoot(base, { people: walkers(i), seed: i })

t('a normal scene with people walking, sensor noise and light slowly dimming stays online', () => {
  const rig = new Rig().run(60, (i) => shoot(base, { people: walkers(i), seed: i, gain: 1 - (0.4 * i) / 300 }))
  assert.equal(rig.states(), ['online'])
  // and an empty room: nobody moves, only sensor noise is alive, so faint that each frame differs
  // from the last by less than frozen's eps (~0.4 grey levels): not frozen, since no frame repeats
  rig.run(30, (i) => shoot(base, { seed: i, sigma: 0.35 }))
  assert.ok(rig.health.measures().still < 0.5, JSON.stringify(rig.health.measures()))
  assert.equal(rig.states(), ['online'])
})

t('frozen: the same picture repeated, with an on-screen clock ticking, within 3 s; back online when it moves', () => {
  const rig = new Rig().run(10, normal)
  const still = shoot(base, { people: walkers(3), seed: 3 })
  const from = rig.now
  rig.run(6, (i) => {
    const f = { ...still, data: Uint8Array.from(still.data) }
    f.data.fill(((i / 5) | 0) % 2 === 0 ? 255 : 0, 0, 30 * 3) // a clock in the corner changes every second
    return f
  })
  const ms = rig.timeTo('frozen', from)
  assert.ok(ms >= 2000 && ms <= 3000, `frozen after ${ms} ms`)
  const back = rig.now
  rig.run(3, normal)
  assert.ok(rig.timeTo('online', back) <= 1000)
  assert.equal(rig.states(), ['online', 'frozen', 'online'])
})

t('dark: lights off within 3 s, and back on without passing through frozen or tampered', () => {
  const rig = new Rig().run(10, normal)
  const from = rig.now
  rig.run(8, (i) => shoot(base, { gain: 0.05, sigma: 1, seed: i }))
  const ms = rig.timeTo('dark', from)
  assert.ok(ms >= 1000 && ms <= 3000, `dark after ${ms} ms`)
  const on = rig.now
  rig.run(4, normal)
  assert.ok(rig.timeTo('online', on) <= 2000)
  assert.equal(rig.states(), ['online', 'dark', 'online'])
})

t('tampered: camera turned to another view within 3 s; stays so; turned back -> online', () => {
  const rig = new Rig().run(20, normal)
  const other = room(99)
  const from = rig.now
  rig.run(20, (i) => shoot(other, { people: walkers(i), seed: i }))
  const ms = rig.timeTo('tampered', from)
  assert.ok(ms <= 3000, `tampered after ${ms} ms`)
  assert.match(rig.health.current().detail ?? '', /learned scene/)
  const back = rig.now
  rig.run(5, normal)
  assert.ok(rig.timeTo('online', back) <= 2000, JSON.stringify([rig.changes.map((c) => [c.state, c.at - back]), rig.health.measures()]))
  assert.equal(rig.states(), ['online', 'tampered', 'online'])
})

t('tampered: lens covered by something lit (uniform picture)', () => {
  const rig = new Rig().run(20, normal)
  const grey = new Uint8Array(W * H * 3).fill(140)
  const from = rig.now
  rig.run(5, (i) => shoot(grey, { seed: i, sigma: 1 }))
  assert.ok(rig.timeTo('tampered', from) <= 3000)
  assert.match(rig.health.current().detail ?? '', /covered/)
})

t('tampered: defocused (sharpness collapses against its running median)', () => {
  const rig = new Rig().run(20, normal)
  const soft = blur(base, 3)
  const from = rig.now
  rig.run(6, (i) => shoot(soft, { people: walkers(i), seed: i, sigma: 1 }))
  assert.ok(rig.timeTo('tampered', from) <= 3000, JSON.stringify(rig.health.measures()))
  assert.match(rig.health.current().detail ?? '', /focus/)
})

t('no tamper for a person passing right in front of the camera for a second', () => {
  const rig = new Rig().run(20, normal)
  rig.run(1, (i) => shoot(base, { people: [{ x: 160, y: 90, r: 140 }], seed: i }))
  rig.run(10, normal)
  assert.equal(rig.states(), ['online'])
})

t('hysteresis: brightness hovering at the dark threshold does not flap', () => {
  const rig = new Rig().run(5, normal)
  // mean grey swings between about 24 and 36 every 4 s: below the dark threshold (30) half the time,
  // never above the way out (40)
  rig.run(30, (i) => shoot(base, { gain: 0.2 + 0.05 * Math.sin((2 * Math.PI * i) / 20), sigma: 1, seed: i }))
  assert.equal(rig.states(), ['online', 'dark'])
})

t('stalled and offline come from the source, at once, with its detail; frames bring it back', () => {
  const rig = new Rig().run(3, normal)
  rig.health.observeSource({ state: 'stalled', since: rig.now, detail: 'no frame for 3.0 s' }, rig.now)
  assert.equal(rig.health.current(), { state: 'stalled', since: rig.now, detail: 'no frame for 3.0 s' })
  rig.health.observeSource({ state: 'offline', since: rig.now + 500, detail: 'Connection refused' }, rig.now + 500)
  assert.is(rig.health.current().state, 'offline')
  rig.now += 5000
  rig.health.observeSource({ state: 'streaming', since: rig.now }, rig.now)
  rig.run(1, normal)
  assert.equal(rig.states(), ['online', 'stalled', 'offline', 'online'])
  rig.health.observeSource({ state: 'stopped', since: rig.now }, rig.now)
  assert.equal(rig.health.current().detail, 'source stopped')
})

t('after an outage a condition the picture already clears is not shown again (frozen, dark)', () => {
  const still = shoot(base, { seed: 1 })
  const rig = new Rig().run(4, () => still)
  const dark = shoot(base, { gain: 0.05, sigma: 1 })
  rig.run(2, () => dark)
  assert.equal(rig.states(), ['online', 'frozen', 'dark'])
  rig.health.observeSource({ state: 'offline', since: rig.now, detail: 'stream ended' }, rig.now)
  rig.now += 5000
  rig.health.observeSource({ state: 'streaming', since: rig.now }, rig.now)
  rig.run(3, normal)
  assert.equal(rig.states(), ['online', 'frozen', 'dark', 'offline', 'online'])
})

t('before any frame the camera is offline, "no frame yet"', () => {
  const h = new CameraHealth(5)
  assert.equal(h.current(), { state: 'offline', since: 5, detail: 'no frame yet' })
  h.observeSource({ state: 'connecting', since: 6 }, 6)
  assert.is(h.current().state, 'offline')
})

t.run()
