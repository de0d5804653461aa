import { age, byId, h } from '../dom.js'
import { missionActive, type Mission } from '../data/records.js'
import type { RobotOnMap, Store } from '../data/store.js'
import { colours } from '../map/colours.js'
import { ApiError, send } from '../data/api.js'
import { MissionForm } from './mission-form.js'

const RECENT_MS = 60_000
/** A robot's status is shown as current for this long; older, the row says how old. */
const FRESH_MS = 5000
/** Robot statuses come several times a second each; a table redrawn that often costs frames on the map. */
const RENDER_EVERY_MS = 500

/**
 * One row per robot of the venue file (so a robot that never reported still shows, as "no data"):
 * connection, state, battery, current mission and a cancel button.
 */
export class RobotsPanel {
  private readonly body = byId('robot-rows', HTMLTableSectionElement)
  private readonly rows = new Map<string, { tr: HTMLTableRowElement; shown: string }>()
  private readonly form: MissionForm
  private pending = false

  constructor(private readonly store: Store) {
    this.form = new MissionForm(store)
    for (const r of store.venue.robots) {
      const tr = h('tr', { 'data-robot': r.id, onclick: () => this.form.pickRobot(r.id) })
      this.rows.set(r.id, { tr, shown: '' })
      this.body.append(tr)
    }
    const schedule = (): void => {
      if (this.pending) return
      this.pending = true
      window.setTimeout(() => {
        this.pending = false
        this.render()
      }, RENDER_EVERY_MS)
    }
    store.on('robots', schedule)
    store.on('missions', schedule)
    window.setInterval(() => this.render(), 1000)
    this.render()
  }

  select(id: string): void {
    this.form.pickRobot(id)
    this.rows.get(id)?.tr.scrollIntoView({ block: 'nearest' })
  }

  /** The robot's mission, or its last one for a minute after it ended (so "cancelled" is seen). */
  private missionOf(robot: string, status: RobotOnMap | undefined): Mission | null {
    const id = status?.status.mission ?? null
    if (id !== null) {
      const m = this.store.missions.get(id)
      if (m !== undefined) return m
    }
    const now = Date.now() + this.store.venueOffset_ms
    let best: Mission | null = null
    for (const m of this.store.missions.values()) {
      if (m.robot !== robot || (!missionActive(m) && now - (m.at ?? 0) > RECENT_MS)) continue
      if (best === null || (m.at ?? 0) > (best.at ?? 0)) best = m
    }
    return best
  }

  private render(): void {
    const now = performance.now()
    for (const info of this.store.venue.robots) {
      const row = this.rows.get(info.id)
      if (row === undefined) continue
      const r = this.store.robots.get(info.id)
      const m = this.missionOf(info.id, r)
      const st = r?.status
      const battery = st?.battery === null || st?.battery === undefined ? null : Math.round(st.battery)
      const mode = st?.mode ?? null
      const old = r === undefined ? 0 : now - r.receivedAt
      const ageText = old > FRESH_MS ? age(old) : ''
      // rebuild a row only when what it shows changed: most status messages change nothing visible
      const shown = JSON.stringify([st?.connection, mode, st?.faults, battery, m?.missionId, m?.state, m?.step, m?.progress, ageText])
      if (shown === row.shown) continue
      row.shown = shown
      const tr = row.tr
      tr.dataset['mode'] = mode ?? 'unknown'
      tr.dataset['connection'] = st?.connection ?? 'unknown'
      tr.replaceChildren(
        h('td', { class: 'robot-id' }, info.id, h('small', {}, ` ${info.kind}`)),
        h(
          'td',
          { title: st === undefined ? 'no status yet' : `${st.connection}, ${st.mode}${st.faults.length > 0 ? `, faults: ${st.faults.join(', ')}` : ''}` },
          mode === null ? 'no data' : h('span', { class: 'mode', style: `background:${colours.mode(mode)}` }, mode),
          // the link is named only when it is not up: an online robot is the normal case
          st !== undefined && st.connection !== 'online' ? h('small', { class: 'faults' }, ` ${st.connection}`) : null,
          st !== undefined && st.faults.length > 0 ? h('small', { class: 'faults' }, ` ${st.faults.join(', ')}`) : null,
        ),
        h('td', {}, battery === null ? '–' : h('span', { class: 'battery', 'data-low': battery < 25 }, h('span', { style: `width:${battery}%` }), `${battery}%`)),
        this.missionCell(m),
        h('td', { class: 'age', 'data-stale': ageText !== '' }, ageText),
        h('td', {}, m !== null && missionActive(m) ? h('button', { type: 'button', class: 'cancel', onclick: (ev: Event) => {
          ev.stopPropagation()
          void this.cancel(m)
        } }, 'Cancel') : null),
      )
    }
  }

  private missionCell(m: Mission | null): HTMLTableCellElement {
    if (m === null) return h('td', { class: 'mission' }, '–')
    // kind, state and progress fit the column; the step (and a failure's reason) is in the tooltip
    const text = `${m.kind} ${m.state}${m.progress > 0 && m.progress < 1 ? ` ${Math.round(m.progress * 100)}%` : ''}`
    const more = [m.step, m.reason].filter((x) => x !== null && x !== '').join(' · ')
    return h('td', { class: 'mission', title: more === '' ? text : `${text}: ${more}` }, text)
  }

  private async cancel(m: Mission): Promise<void> {
    const out = byId('mission-message', HTMLSpanElement)
    try {
      await send('POST', `/api/missions/${encodeURIComponent(m.missionId)}/cancel`)
      out.textContent = `cancel of ${m.missionId} sent`
    } catch (err) {
      out.textContent = err instanceof ApiError ? `cancel refused: ${err.message}` : 'cancel not sent: no connection'
    }
  }
}
