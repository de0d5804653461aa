import type { VenueView } from '../data/venue.js'
import { byId, h } from '../dom.js'
import { colours } from './colours.js'
import { ROBOT_MODES } from '../data/records.js'

/** The key under the map: who is which colour (each project by id), and what a robot's colour says. */
export function mountLegend(venue: VenueView): void {
  const dot = (colour: string): HTMLElement => h('i', { class: 'dot', style: `background:${colour}` })
  const sq = (colour: string): HTMLElement => h('i', { class: 'sq', style: `background:${colour}` })
  byId('legend', HTMLDivElement).replaceChildren(
    h('span', {}, dot(colours.unknown), 'unknown'),
    h('span', {}, dot(colours.group(colours.personGroup('staff', undefined))), 'staff'),
    ...venue.projects.map((p, i) => h('span', { title: `experts of project ${p.id}: rooms ${p.rooms.join(', ')}` }, dot(colours.project(i)), p.id)),
    h('span', { class: 'legend-gap' }, 'robots:'),
    ...ROBOT_MODES.map((m) => h('span', {}, sq(colours.mode(m)), m)),
    h('span', {}, 'bar: battery · ring: open alert'),
  )
}
