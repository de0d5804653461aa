import { ApiError, send } from '../data/api.js'
import { isRecord } from '../data/narrow.js'
import type { Store } from '../data/store.js'
import { byId, h } from '../dom.js'

type Kind = 'patrol' | 'delivery' | 'verify'

/**
 * Start a patrol (waypoints), a delivery (rooms) or a verify (one place), by a chosen robot or
 * whichever the fleet allocates. The target list changes with the kind.
 */
export class MissionForm {
  private readonly kind = byId('mission-kind', HTMLSelectElement)
  private readonly robot = byId('mission-robot', HTMLSelectElement)
  private readonly targets = byId('mission-targets', HTMLSelectElement)
  private readonly out = byId('mission-message', HTMLSpanElement)

  constructor(private readonly store: Store) {
    this.robot.append(h('option', { value: '' }, 'fleet chooses'), ...store.venue.robots.map((r) => h('option', { value: r.id }, `${r.id} (${r.kind})`)))
    this.kind.addEventListener('change', () => this.fillTargets())
    byId('mission-form', HTMLFormElement).addEventListener('submit', (ev) => {
      ev.preventDefault()
      void this.submit()
    })
    this.fillTargets()
  }

  pickRobot(id: string): void {
    this.robot.value = id
  }

  private currentKind(): Kind {
    const v = this.kind.value
    return v === 'delivery' || v === 'verify' ? v : 'patrol'
  }

  private fillTargets(): void {
    const kind = this.currentKind()
    const v = this.store.venue
    this.targets.multiple = kind !== 'verify'
    if (kind === 'delivery') {
      const rooms = v.zones.filter((z) => z.kind === 'evaluation_room')
      this.targets.replaceChildren(...rooms.map((z) => h('option', { value: z.id }, z.name)))
      return
    }
    // patrols default to the corridor waypoints: the round a guard would walk
    const corridors = new Set(v.zones.filter((z) => z.kind === 'corridor').map((z) => z.id))
    const nodes = v.nodes.map((n) => ({ n, corridor: [...corridors].some((c) => nodeIn(n.at, v.zones.find((z) => z.id === c)?.polygon ?? [])) }))
    this.targets.replaceChildren(...nodes.map(({ n, corridor }) => h('option', { value: n.id, selected: kind === 'patrol' && corridor }, n.id)))
  }

  private async submit(): Promise<void> {
    const kind = this.currentKind()
    const chosen = [...this.targets.selectedOptions].map((o) => o.value)
    if (chosen.length === 0) {
      this.out.textContent = kind === 'delivery' ? 'choose rooms' : 'choose waypoints'
      return
    }
    const body: Record<string, unknown> = { kind }
    if (this.robot.value !== '') body['robot'] = this.robot.value
    if (kind === 'patrol') body['nodes'] = chosen
    else if (kind === 'delivery') body['rooms'] = chosen
    else body['node'] = chosen[0]
    this.out.textContent = `asking for a ${kind}…`
    try {
      const r = await send('POST', '/api/missions', body)
      const id = isRecord(r) && typeof r['requestId'] === 'string' ? r['requestId'] : ''
      this.out.textContent = `${kind} requested ${id}`
    } catch (err) {
      this.out.textContent = err instanceof ApiError ? `refused: ${err.message}` : 'not sent: no connection'
    }
  }
}

/** Point in polygon (ray casting), to place nodes in zones. */
function nodeIn(p: readonly [number, number], ring: readonly (readonly [number, number])[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]
    const b = ring[j]
    if (a === undefined || b === undefined) continue
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
  }
  return inside
}
