import { age, byId, clock, h, setText } from '../dom.js'
import type { Alert } from '../data/records.js'
import type { Store } from '../data/store.js'
import { colours } from '../map/colours.js'
import { AlertDetail } from './alert-detail.js'

/** A feed longer than this is history, not something to read at a glance: the oldest drop out. */
const MAX_ROWS = 200

/**
 * The alert feed, newest first. Rows are kept by alert id and updated in place, so a live update
 * does not rebuild the list or lose the operator's typing in an open note box.
 */
export class AlertFeed {
  private readonly list = byId('alert-list', HTMLOListElement)
  private readonly rows = new Map<string, { li: HTMLLIElement; time: HTMLElement; state: HTMLElement; title: HTMLElement }>()
  private showResolved = false
  private readonly detail: AlertDetail
  private pending = false

  constructor(private readonly store: Store) {
    this.detail = new AlertDetail(store)
    const filter = byId('alert-filter', HTMLSelectElement)
    filter.addEventListener('change', () => {
      this.showResolved = filter.value === 'all'
      this.render()
    })
    store.on('alerts', () => this.schedule())
    store.on('selection', () => this.render())
    window.setInterval(() => this.tickAges(), 1000)
  }

  /** Many alerts can land in one burst: render once per animation frame at most. */
  private schedule(): void {
    if (this.pending) return
    this.pending = true
    requestAnimationFrame(() => {
      this.pending = false
      this.render()
    })
  }

  private zoneName(id: string | null): string {
    if (id === null) return 'no zone'
    return this.store.venue.zones.find((z) => z.id === id)?.name ?? id
  }

  private row(a: Alert): HTMLLIElement {
    let r = this.rows.get(a.id)
    if (r === undefined) {
      const time = h('span', { class: 'alert-time' })
      const state = h('span', { class: 'alert-state' })
      const title = h('span', { class: 'alert-title' })
      const li = h(
        'li',
        { class: 'alert', 'data-alert-id': a.id, 'data-shown-at': Date.now(), tabindex: 0, onclick: () => this.store.select(this.store.selectedAlert === a.id ? null : a.id) },
        h('span', { class: 'sev', text: a.severity }),
        title,
        h('span', { class: 'alert-place', text: this.zoneName(a.zone) }),
        time,
        state,
      )
      li.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') this.store.select(a.id)
      })
      r = { li, time, state, title }
      this.rows.set(a.id, r)
    }
    const sev = r.li.querySelector<HTMLElement>('.sev')
    if (sev !== null) {
      sev.textContent = a.severity
      sev.style.background = colours.severity(a.severity)
    }
    setText(r.title, `${a.title || a.kind}${a.count > 1 ? ` ×${a.count}` : ''}`)
    setText(r.state, a.escalated && a.state !== 'resolved' ? `${a.state} · escalated` : a.state)
    r.li.dataset['state'] = a.state
    r.li.dataset['severity'] = a.severity
    r.li.classList.toggle('selected', this.store.selectedAlert === a.id)
    this.setTime(r.time, a)
    return r.li
  }

  private setTime(el: HTMLElement, a: Alert): void {
    setText(el, `${clock(a.firstAt)} · ${age(Date.now() + this.store.venueOffset_ms - a.lastAt)} ago`)
  }

  private render(): void {
    const shown = [...this.store.alerts.values()]
      .filter((a) => this.showResolved || a.state !== 'resolved')
      .sort((a, b) => b.firstAt - a.firstAt)
      .slice(0, MAX_ROWS)
    const keep = new Set(shown.map((a) => a.id))
    for (const [id, r] of this.rows) if (!keep.has(id)) r.li.remove()
    let prev: Element | null = null
    for (const a of shown) {
      const li = this.row(a)
      const want: Element | null = prev === null ? this.list.firstElementChild : prev.nextElementSibling
      if (want !== li) (prev === null ? this.list.prepend(li) : prev.after(li))
      prev = li
      if (this.store.selectedAlert === a.id) {
        if (li.nextElementSibling !== this.detail.el) li.after(this.detail.el)
        prev = this.detail.el
        this.detail.show(a)
      }
    }
    if (this.store.selectedAlert === null || !keep.has(this.store.selectedAlert)) this.detail.el.remove()
    // a selected alert that left the list (resolved) no longer marks the map
    if (this.store.selectedAlert !== null && !keep.has(this.store.selectedAlert)) this.store.select(null)
    let open = 0
    for (const a of this.store.alerts.values()) if (a.state === 'open') open++
    setText(byId('alert-count', HTMLSpanElement), String(open))
  }

  private tickAges(): void {
    for (const [id, r] of this.rows) {
      const a = this.store.alerts.get(id)
      if (a !== undefined && r.li.isConnected) this.setTime(r.time, a)
    }
  }
}
