import { ApiError, getJson, send } from '../data/api.js'
import { arr, isRecord, point, time } from '../data/narrow.js'
import type { Alert } from '../data/records.js'
import type { Store } from '../data/store.js'
import { clock, h } from '../dom.js'

/** Trajectory window around an alert: where the subjects came from, and a little after. */
const BEFORE_MS = 120_000
const AFTER_MS = 15_000

/** Points of GET /api/trajectories: an array, or {points|trajectory: [...]}, each {x, y | floor | xy, at | t}. */
function parseTrajectory(v: unknown): { x: number; y: number; t: number }[] {
  const list = Array.isArray(v) ? v : isRecord(v) ? (Array.isArray(v['points']) ? v['points'] : arr(v, 'trajectory')) : []
  const out: { x: number; y: number; t: number }[] = []
  for (const p of list) {
    if (!isRecord(p)) continue
    const xy = point(p['floor']) ?? point(p['xy']) ?? point([p['x'], p['y']])
    const t = typeof p['at'] === 'number' ? p['at'] : (time(p, 'at') ?? time(p, 't') ?? 0)
    if (xy !== null) out.push({ x: xy[0], y: xy[1], t })
  }
  return out.sort((a, b) => a.t - b.t)
}

/**
 * The open alert: evidence snapshots, its subjects' trajectories on the map, and the actions
 * (acknowledge, resolve with a note; reveal an identity for supervisors).
 */
export class AlertDetail {
  readonly el = h('li', { class: 'alert-detail', id: 'alert-detail' })
  private shownId: string | null = null
  private shownState: string | null = null
  private readonly note = h('textarea', { id: 'alert-note', rows: 2, placeholder: 'note (required to resolve)', maxlength: 2000 })
  private readonly message = h('div', { class: 'detail-message', role: 'status' })

  constructor(private readonly store: Store) {}

  show(a: Alert): void {
    // rebuild only when another alert is shown or its state changed: keeps the note being typed
    if (this.shownId === a.id && this.shownState === a.state) return
    const fresh = this.shownId !== a.id
    this.shownId = a.id
    this.shownState = a.state
    if (fresh) {
      this.note.value = ''
      this.message.textContent = ''
      void this.loadTrajectory(a)
    }
    const snapshots = a.evidence.map((e, n) => ({ e, n })).filter(({ e }) => e.kind === 'snapshot')
    const canReveal = this.store.user.role === 'supervisor' || this.store.user.role === 'admin'
    const parts: (HTMLElement | null)[] = [
      h('div', { class: 'detail-meta' }, `${a.kind} · rule ${a.rule} · ${clock(a.firstAt)}–${clock(a.lastAt)}`),
      h('div', { class: 'detail-meta' }, `subjects: ${a.subjects.join(', ') || 'none'} · cameras: ${a.cameras.join(', ') || 'none'}`),
      a.acknowledged === null ? null : h('div', { class: 'detail-meta' }, `acknowledged by ${a.acknowledged.by}`),
      a.resolved === null ? null : h('div', { class: 'detail-meta' }, `resolved by ${a.resolved.by}: ${a.resolved.note}`),
      snapshots.length === 0
        ? h('div', { class: 'detail-meta' }, 'no snapshot')
        : h('div', { class: 'snapshots' }, ...snapshots.map(({ n }) => h('img', { src: `/api/alerts/${encodeURIComponent(a.id)}/evidence/${n}`, alt: `evidence ${n}`, loading: 'lazy' }))),
      a.state === 'resolved' ? null : this.note,
      h(
        'div',
        { class: 'detail-actions' },
        a.state === 'open' ? h('button', { class: 'ack', type: 'button', onclick: () => void this.act(a, 'ack') }, 'Acknowledge') : null,
        a.state !== 'resolved' ? h('button', { class: 'resolve', type: 'button', onclick: () => void this.act(a, 'resolve') }, 'Resolve') : null,
        canReveal ? this.revealButtons(a) : null,
      ),
      this.message,
    ]
    this.el.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null))
  }

  private revealButtons(a: Alert): HTMLElement | null {
    const subjects = a.subjects.filter((s) => s !== 'unknown')
    if (subjects.length === 0) return null
    return h(
      'span',
      { class: 'reveal' },
      ...subjects.map((s) =>
        h('button', { class: 'reveal-btn', type: 'button', onclick: () => void this.reveal(a, s) }, `Reveal ${s}`),
      ),
    )
  }

  private async act(a: Alert, action: 'ack' | 'resolve'): Promise<void> {
    const note = this.note.value.trim()
    if (action === 'resolve' && note === '') {
      this.message.textContent = 'write a note to resolve'
      this.note.focus()
      return
    }
    this.message.textContent = action === 'ack' ? 'acknowledging…' : 'resolving…'
    try {
      await send('POST', `/api/alerts/${encodeURIComponent(a.id)}/${action}`, { note })
      // the live feed brings the new state; until it does, say what was asked
      this.message.textContent = action === 'ack' ? 'acknowledge sent' : 'resolve sent'
      this.note.value = ''
    } catch (err) {
      this.message.textContent = err instanceof ApiError ? `refused: ${err.message}` : 'not sent: no connection'
    }
  }

  private async reveal(a: Alert, subject: string): Promise<void> {
    const reason = window.prompt(`Why reveal ${subject}? (written to the audit log)`, `alert ${a.id}`)
    if (reason === null || reason.trim() === '') return
    try {
      const r = await send('POST', `/api/subjects/${encodeURIComponent(subject)}/reveal`, { reason })
      const name = isRecord(r) && typeof r['name'] === 'string' ? r['name'] : JSON.stringify(r)
      this.message.textContent = `${subject}: ${name}`
    } catch (err) {
      this.message.textContent = err instanceof ApiError ? `refused: ${err.message}` : 'not sent: no connection'
    }
  }

  private async loadTrajectory(a: Alert): Promise<void> {
    const subjects = a.subjects.filter((s) => s !== 'unknown')
    const from = new Date(a.firstAt - BEFORE_MS).toISOString()
    const to = new Date(a.lastAt + AFTER_MS).toISOString()
    const lines: { x: number; y: number }[][] = []
    for (const s of subjects) {
      try {
        const q = new URLSearchParams({ subject: s, from, to })
        const pts = parseTrajectory(await getJson(`/api/trajectories?${q.toString()}`))
        if (pts.length > 0) lines.push(pts)
      } catch {
        // no trajectory is shown; the alert stays readable without it
      }
    }
    if (this.store.selectedAlert === a.id) this.store.trajectory = lines
  }
}
