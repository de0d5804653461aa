import type { Store } from '../data/store.js'
import type { Track } from '../data/records.js'
import { POSITIONS_STALE_MS } from '../data/people.js'
import { colours } from './colours.js'
import { drawFloor } from './floor-layer.js'
import { View } from './view.js'
import { FrameMeter } from './frame-meter.js'

/**
 * The live floor map: the plan sits on its own canvas underneath; this one is cleared and gets
 * people, robots, open alerts and the selected alert's trajectory every animation frame.
 * Per-frame work is one pass over the people arrays.
 */
export class MapCanvas {
  readonly meter = new FrameMeter()
  private readonly ctx: CanvasRenderingContext2D
  private readonly view: View
  private width = 0
  private height = 0
  private dpr = 1
  private running = false

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly floor: HTMLCanvasElement,
    private readonly store: Store,
    private readonly onPick: (pick: { robot: string } | { person: Track } | null) => void,
  ) {
    const ctx = canvas.getContext('2d')
    if (ctx === null) throw new Error('no 2D canvas')
    this.ctx = ctx
    this.view = new View(store.venue.width_m, store.venue.height_m)
    new ResizeObserver(() => this.resize()).observe(canvas)
    canvas.addEventListener('click', (ev) => this.click(ev))
    this.resize()
  }

  start(): void {
    if (this.running) return
    this.running = true
    const frame = (t: number): void => {
      if (!this.running) return
      this.meter.tick(t)
      const t0 = performance.now()
      this.draw(t0)
      this.meter.work(performance.now() - t0)
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
  }

  /** Floor-to-canvas transform as drawn now (CSS pixels), for the probe. */
  transform(): { scale: number; offX: number; offY: number; height: number } {
    return { scale: this.view.scale, offX: this.view.offX, offY: this.view.offY, height: this.view.height }
  }

  stop(): void {
    this.running = false
  }

  private resize(): void {
    const r = this.canvas.getBoundingClientRect()
    this.dpr = window.devicePixelRatio || 1
    this.width = Math.max(100, r.width)
    this.height = Math.max(100, r.height)
    this.canvas.width = Math.round(this.width * this.dpr)
    this.canvas.height = Math.round(this.height * this.dpr)
    this.view.fit(this.width, this.height)
    drawFloor(this.floor, this.store.venue, this.view, this.width, this.height, this.dpr)
  }

  private click(ev: MouseEvent): void {
    const r = this.canvas.getBoundingClientRect()
    const [fx, fy] = this.view.toFloor(ev.clientX - r.left, ev.clientY - r.top)
    const now = performance.now()
    for (const [id, robot] of this.store.robots) {
      const p = this.store.robotAt(robot, now)
      if (p !== null && Math.hypot(p[0] - fx, p[1] - fy) < 1.2) return this.onPick({ robot: id })
    }
    // the nearest person within a metre: one pass, on a click only
    const people = this.store.people
    let best = -1
    let bestD = 1
    for (const [i, q] of people.positions(now).entries()) {
      const d = Math.hypot(q.x - fx, q.y - fy)
      if (d < bestD) [best, bestD] = [i, d]
    }
    const track = people.tracks[best]
    this.onPick(track === undefined ? null : { person: track })
  }

  private draw(now: number): void {
    const { ctx } = this
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0)
    ctx.clearRect(0, 0, this.width, this.height)
    this.drawTrajectory()
    this.drawPeople(now)
    this.drawRobots(now)
    this.drawAlertMarkers(now)
  }

  private drawPeople(now: number): void {
    const { ctx, view } = this
    const p = this.store.people
    const k = p.progress(now)
    const stale = p.receivedAt > 0 && now - p.receivedAt > POSITIONS_STALE_MS
    ctx.globalAlpha = stale ? 0.35 : 1
    const r = Math.max(2.5, Math.min(5, view.scale * 0.28))
    let i = 0
    while (i < p.count) {
      const g = p.group[i] ?? 0
      ctx.fillStyle = colours.group(g)
      ctx.beginPath()
      for (; i < p.count && p.group[i] === g; i++) {
        const fx = p.fromX[i] ?? 0
        const fy = p.fromY[i] ?? 0
        const x = view.x(fx + ((p.toX[i] ?? 0) - fx) * k)
        const y = view.y(fy + ((p.toY[i] ?? 0) - fy) * k)
        ctx.moveTo(x + r, y)
        ctx.arc(x, y, r, 0, 2 * Math.PI)
      }
      ctx.fill()
    }
    ctx.globalAlpha = 1
  }

  private drawRobots(now: number): void {
    const { ctx, view } = this
    const s = Math.max(10, Math.min(16, view.scale * 0.8))
    ctx.font = '10px system-ui, sans-serif'
    ctx.textAlign = 'center'
    ctx.textBaseline = 'top'
    for (const [id, robot] of this.store.robots) {
      const p = this.store.robotAt(robot, now)
      if (p === null) continue
      const x = view.x(p[0])
      const y = view.y(p[1])
      const st = robot.status
      ctx.globalAlpha = st.connection === 'online' ? 1 : 0.45
      ctx.fillStyle = colours.mode(st.mode)
      ctx.fillRect(x - s / 2, y - s / 2, s, s)
      ctx.strokeStyle = '#fff'
      ctx.lineWidth = 1.5
      ctx.strokeRect(x - s / 2, y - s / 2, s, s)
      if (st.theta !== null) {
        // heading: a tick from the centre (floor y is up, canvas y is down)
        ctx.beginPath()
        ctx.moveTo(x, y)
        ctx.lineTo(x + Math.cos(st.theta) * s * 0.5, y - Math.sin(st.theta) * s * 0.5)
        ctx.stroke()
      }
      // battery: a bar under the square, red below a quarter
      const b = st.battery ?? 0
      ctx.fillStyle = '#2b2f36'
      ctx.fillRect(x - s / 2, y + s / 2 + 1, s, 3)
      ctx.fillStyle = b < 25 ? '#d0241c' : '#2aa876'
      ctx.fillRect(x - s / 2, y + s / 2 + 1, (s * b) / 100, 3)
      ctx.fillStyle = '#1d232b'
      ctx.fillText(id, x, y + s / 2 + 5)
      ctx.globalAlpha = 1
    }
  }

  private drawTrajectory(): void {
    const { ctx, view } = this
    if (this.store.trajectory.length === 0) return
    ctx.strokeStyle = colours.trajectory
    ctx.lineWidth = 2
    ctx.setLineDash([5, 3])
    for (const line of this.store.trajectory) {
      ctx.beginPath()
      line.forEach((q, i) => (i === 0 ? ctx.moveTo(view.x(q.x), view.y(q.y)) : ctx.lineTo(view.x(q.x), view.y(q.y))))
      ctx.stroke()
      const last = line[line.length - 1]
      if (last !== undefined) {
        ctx.fillStyle = colours.trajectory
        ctx.fillRect(view.x(last.x) - 3, view.y(last.y) - 3, 6, 6)
      }
    }
    ctx.setLineDash([])
  }

  /** Every open alert is a ring in its severity colour where it happened; the selected one pulses. */
  private drawAlertMarkers(now: number): void {
    const { ctx, view } = this
    ctx.lineWidth = 2.5
    for (const a of this.store.alerts.values()) {
      if (a.floor === null) continue
      const selected = a.id === this.store.selectedAlert
      if (a.state !== 'open' && !selected) continue
      ctx.strokeStyle = colours.severity(a.severity)
      ctx.beginPath()
      ctx.arc(view.x(a.floor[0]), view.y(a.floor[1]), selected ? 10 + 6 * Math.abs(Math.sin(now / 300)) : 8, 0, 2 * Math.PI)
      ctx.stroke()
    }
  }
}
