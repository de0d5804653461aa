import type uPlot from 'uplot'
import { getJson } from '../data/api.js'
import type { Store } from '../data/store.js'
import { appendSample, emptySeries, parseTelemetry, trim, type Series } from '../data/telemetry.js'
import { byId, h } from '../dom.js'

const HOURS = 3
/** The charts the issue asks for first, then any other series the server sends (up to MAX). */
const PREFERRED = ['occupancy', 'people', 'cameraFps', 'fps', 'alerts', 'alertCount', 'openAlerts']
const MAX = 4
const LABELS: Record<string, string> = { occupancy: 'people on the floor', cameraFps: 'frames/s analysed, all cameras', openAlerts: 'open alerts' }
/**
 * uPlot as the server serves it. Loaded with a dynamic import rather than an import map: the
 * server's Content-Security-Policy allows no inline script, and an import map is one. A failure
 * to load it costs the charts only, not the page.
 */
const UPLOT_URL = '/vendor/uplot/uPlot.esm.js'

async function loadUPlot(): Promise<typeof uPlot | null> {
  try {
    const mod: unknown = await import(/* the URL is the server's, not a package */ UPLOT_URL)
    if (typeof mod === 'object' && mod !== null && 'default' in mod && typeof mod.default === 'function') return mod.default as typeof uPlot
  } catch {
    // no charts; the status below says so
  }
  return null
}

/** Small telemetry charts of the last hours; new samples from the live feed are appended. */
export class Charts {
  private series: Series = emptySeries()
  private readonly plots = new Map<string, uPlot>()
  private readonly box = byId('charts', HTMLDivElement)
  private dirty = false
  private UPlot: typeof uPlot | null = null

  /** Site time zone: the axes read as the roster does, whatever the browser's zone. */
  private readonly timeZone: string | null

  constructor(store: Store) {
    this.timeZone = store.venue.site.timezone
    store.on('telemetry', () => {
      if (store.telemetry === null) return
      appendSample(this.series, store.telemetry)
      this.dirty = true
    })
    // redraw at most every 2 s: samples arrive often, a chart over hours does not need more
    window.setInterval(() => {
      if (!this.dirty) return
      this.dirty = false
      trim(this.series, HOURS)
      this.draw()
    }, 2000)
    new ResizeObserver(() => this.resize()).observe(this.box)
  }

  async load(): Promise<void> {
    this.UPlot = await loadUPlot()
    try {
      this.series = parseTelemetry(await getJson(`/api/telemetry?hours=${HOURS}`))
    } catch {
      this.series = emptySeries()
    }
    this.draw()
  }

  private names(): string[] {
    const all = [...this.series.values.keys()]
    const first = PREFERRED.filter((n) => all.includes(n))
    return [...first, ...all.filter((n) => !first.includes(n))].slice(0, MAX)
  }

  private draw(): void {
    const names = this.names()
    const UPlot = this.UPlot
    if (names.length === 0 || UPlot === null) {
      const why = UPlot === null ? 'charts unavailable (uPlot did not load)' : 'no telemetry yet'
      if (this.box.querySelector('.no-telemetry') === null) this.box.replaceChildren(h('div', { class: 'no-telemetry' }, why))
      return
    }
    this.box.querySelector('.no-telemetry')?.remove()
    for (const name of names) {
      const data: uPlot.AlignedData = [this.series.t, this.series.values.get(name) ?? []]
      const plot = this.plots.get(name)
      if (plot !== undefined) {
        plot.setData(data)
        continue
      }
      const el = h('div', { class: 'chart', 'data-series': name })
      this.box.append(el)
      const width = Math.max(160, Math.floor(this.box.clientWidth / MAX) - 8)
      this.plots.set(
        name,
        new UPlot(
          {
            title: LABELS[name] ?? name,
            width,
            height: 110,
            legend: { show: false },
            cursor: { show: true, drag: { x: false, y: false } },
            // the last HOURS up to the newest sample, however few samples there are yet
            scales: { x: { time: true, range: (_u, _min, max) => [max - HOURS * 3600, max] } },
            ...(this.timeZone === null ? {} : { tzDate: (ts: number) => UPlot.tzDate(new Date(ts * 1000), this.timeZone ?? 'UTC') }),
            axes: [{ size: 24, font: '10px system-ui' }, { size: 36, font: '10px system-ui' }],
            series: [{}, { label: name, stroke: '#2f7de1', width: 1.5, fill: '#2f7de122', spanGaps: false }],
          },
          data,
          el,
        ),
      )
    }
  }

  private resize(): void {
    const width = Math.max(160, Math.floor(this.box.clientWidth / Math.max(1, this.plots.size)) - 8)
    for (const p of this.plots.values()) p.setSize({ width, height: 110 })
  }
}
