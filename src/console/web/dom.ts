type Attrs = Record<string, string | number | boolean | ((ev: Event) => void) | undefined>
type Child = Node | string | null | undefined | false

/** Build an element: attributes (on* become listeners, false/undefined are left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue
    if (typeof v === 'function') el.addEventListener(k.slice(2), v)
    else if (k === 'class') el.className = String(v)
    else if (k === 'text') el.textContent = String(v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c)
  return el
}

export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id)
  if (!(el instanceof type)) throw new Error(`#${id} missing from index.html`)
  return el
}

/** Set text only when it changed: writing the same text still costs a layout. */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text
}

/** "4 s", "3 min", "2 h": how old something is, short enough for a glance. */
export function age(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 10) return `${s.toFixed(1)} s`
  if (s < 90) return `${Math.round(s)} s`
  if (s < 5400) return `${Math.round(s / 60)} min`
  return `${Math.round(s / 3600)} h`
}

let siteClock = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })

/** Times are shown on the venue's wall clock (its time zone), as the roster and the staff read them. */
export function useTimeZone(timeZone: string): void {
  try {
    siteClock = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone })
  } catch {
    // an unknown zone name: keep the browser's
  }
}

export function clock(t: number): string {
  return siteClock.format(t)
}
