import { age, byId, setText } from '../dom.js'
import type { Store } from '../data/store.js'
import { POSITIONS_STALE_MS } from '../data/people.js'
import type { FrameMeter } from '../map/frame-meter.js'

/**
 * The top line: who is logged in, whether the live feed is connected, and how old the newest
 * data is. Redrawn four times a second: ages must keep counting even when nothing arrives.
 */
export function mountStatusBar(store: Store, meter: FrameMeter): void {
  const conn = byId('conn', HTMLSpanElement)
  const dataAge = byId('data-age', HTMLSpanElement)
  const counts = byId('counts', HTMLSpanElement)
  const fps = byId('fps', HTMLSpanElement)
  byId('who', HTMLSpanElement).textContent = `${store.user.user} (${store.user.role})`
  byId('site', HTMLSpanElement).textContent = store.venue.site.name || store.venue.site.id

  const render = (): void => {
    const now = performance.now()
    const c = store.connection
    conn.dataset['state'] = c === 'live' && !store.bus.connected ? 'lost' : c
    // the page's socket is up but the console server cannot reach the venue: nothing will update
    if (c === 'live' && !store.bus.connected) setText(conn, `console cut off from the venue bus${store.bus.since > 0 ? ` for ${age(now - store.bus.since)}` : ''} — nothing updates`)
    else if (c === 'live') setText(conn, 'live')
    else if (c === 'connecting') setText(conn, 'connecting…')
    else {
      const wait = store.reconnectAt === null ? null : Math.max(0, store.reconnectAt - Date.now())
      setText(conn, `connection lost — reconnecting${wait === null ? '…' : ` in ${age(wait)}`}`)
    }
    const p = store.people
    if (p.receivedAt === 0) {
      setText(dataAge, 'no positions yet')
      dataAge.dataset['stale'] = 'true'
    } else {
      const a = now - p.receivedAt
      // under a second is "now" at a glance; the text changes (and costs a layout) only past it
      setText(dataAge, a < 1000 ? 'positions < 1 s old' : `positions ${age(a)} old`)
      dataAge.dataset['stale'] = String(a > POSITIONS_STALE_MS)
    }
    let unknown = 0
    for (const t of p.tracks) if (t.category === 'unknown') unknown++
    setText(counts, `${p.count} people${unknown > 0 ? ` (${unknown} unknown)` : ''} · ${store.robots.size} robots`)
    setText(fps, `${Math.round(meter.fps())} fps`)
  }
  store.on('connection', render)
  window.setInterval(render, 250)
  render()
}
