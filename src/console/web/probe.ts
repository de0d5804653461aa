import type { Store } from './data/store.js'
import type { MapCanvas } from './map/map-canvas.js'

/**
 * A read-only window on what the map draws, for the browser tests and the frame-rate bench:
 * canvas pixels cannot be asked where a person is. It exposes nothing the page does not show.
 */
export interface Probe {
  people(): { id: string; x: number; y: number }[]
  robots(): { id: string; x: number; y: number; mode: string; battery: number | null }[]
  frames(): number
  fps(): number
  /** how long drawing a frame took lately, ms */
  drawTimes(): { median: number; p95: number }
  connection(): string
  /** the map's floor-to-canvas transform: canvas x = offX + x * scale, y = height - (offY + y * scale) */
  view(): { scale: number; offX: number; offY: number; height: number }
  /** points of the selected alert's trajectory drawn on the map */
  trajectoryPoints(): number
}

declare global {
  interface Window {
    sentinel?: Probe
  }
}

export function exposeProbe(store: Store, map: MapCanvas): void {
  const meter = map.meter
  window.sentinel = {
    people: () => store.people.positions(performance.now()),
    robots: () => {
      const now = performance.now()
      const out: { id: string; x: number; y: number; mode: string; battery: number | null }[] = []
      for (const [id, r] of store.robots) {
        const p = store.robotAt(r, now)
        if (p !== null) out.push({ id, x: p[0], y: p[1], mode: r.status.mode, battery: r.status.battery })
      }
      return out
    },
    frames: () => meter.frames,
    fps: () => meter.fps(),
    drawTimes: () => meter.drawTimes(),
    connection: () => store.connection,
    view: () => map.transform(),
    trajectoryPoints: () => store.trajectory.reduce((n, line) => n + line.length, 0),
  }
}
