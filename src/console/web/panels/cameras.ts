import { age, byId, h, setText } from '../dom.js'
import type { Store } from '../data/store.js'
import { CameraLive } from './camera-live.js'

/**
 * A camera status is refreshed every 10 s (with its last frame time then), so a last frame up to
 * that old is normal; past this, the tile says how old it is, in red.
 */
const FRESH_MS = 15_000

/** Camera tiles: state, analysed fps and age of the last frame; one live view at a time (bandwidth). */
export class CameraTiles {
  private readonly tiles = new Map<string, { el: HTMLElement; info: HTMLElement; img: HTMLImageElement; button: HTMLButtonElement }>()
  private live: { camera: string; view: CameraLive } | null = null

  constructor(private readonly store: Store) {
    const grid = byId('camera-tiles', HTMLDivElement)
    for (const c of store.venue.cameras) {
      const info = h('div', { class: 'cam-info' })
      const img = h('img', { class: 'cam-live', alt: '' })
      const button = h('button', { type: 'button', class: 'cam-toggle', onclick: () => this.toggle(c.id) }, 'live')
      const el = h('div', { class: 'cam', 'data-camera': c.id }, h('div', { class: 'cam-head' }, h('strong', {}, c.id), button), img, info)
      this.tiles.set(c.id, { el, info, img, button })
      grid.append(el)
    }
    store.on('cameras', () => this.render())
    window.setInterval(() => this.render(), 1000)
    this.render()
  }

  private toggle(camera: string): void {
    const was = this.live?.camera
    this.live?.view.stop()
    this.live = null
    for (const t of this.tiles.values()) t.el.classList.remove('live')
    if (was === camera) return this.render()
    const tile = this.tiles.get(camera)
    if (tile === undefined) return
    const view = new CameraLive(
      camera,
      tile.img,
      (why) => {
        if (this.live?.view !== view) return
        this.live = null
        tile.el.classList.remove('live')
        tile.info.dataset['live'] = `ended (${why})`
        this.render()
      },
      (text) => {
        tile.info.dataset['live'] = text
        this.render()
      },
    )
    this.live = { camera, view }
    tile.el.classList.add('live')
    view.start()
    this.render()
  }

  private render(): void {
    const now = Date.now() + this.store.venueOffset_ms
    for (const [id, t] of this.tiles) {
      const s = this.store.cameras.get(id)
      const state = s?.state ?? 'unknown'
      t.el.dataset['state'] = state
      setText(t.button, this.live?.camera === id ? 'stop' : 'live')
      const frame = s?.lastFrameAt ?? null
      const zones = this.store.venue.cameras.find((c) => c.id === id)?.zones.join(', ') ?? ''
      const live = t.info.dataset['live']
      const frameAge = frame === null ? 'no frame yet' : now - frame > FRESH_MS ? `last frame ${age(now - frame)} ago` : 'frames now'
      t.el.dataset['stale'] = String(frame === null || now - frame > FRESH_MS)
      setText(t.info, s === undefined ? `no status yet · ${zones}` : `${state} · ${s.fps.toFixed(1)} fps · ${frameAge}${live ? ` · live: ${live}` : ''}`)
      t.info.title = s?.detail ?? zones
    }
  }
}
