import type { VenueView, Zone } from '../data/venue.js'
import { colours } from './colours.js'
import type { View } from './view.js'

function centroid(z: Zone): [number, number] {
  let x = 0
  let y = 0
  const ring = z.polygon.length > 1 ? z.polygon.slice(0, -1) : z.polygon
  for (const p of ring) {
    x += p[0]
    y += p[1]
  }
  return [x / Math.max(1, ring.length), y / Math.max(1, ring.length)]
}

/**
 * The floor plan, drawn into its own canvas under the live one on load and on resize only: a frame
 * then costs nothing for it, however many zones, doors and graph edges the venue has (copying it
 * into the live canvas every frame was a third of the frame time with software rendering).
 */
export function drawFloor(layer: HTMLCanvasElement, venue: VenueView, view: View, width: number, height: number, dpr: number): void {
  layer.width = Math.round(width * dpr)
  layer.height = Math.round(height * dpr)
  const ctx = layer.getContext('2d')
  if (ctx === null) return
  ctx.scale(dpr, dpr)
  ctx.fillStyle = '#fafbfc'
  ctx.fillRect(0, 0, width, height)
  const roomProject = new Map<string, number>()
  venue.projects.forEach((p, i) => p.rooms.forEach((r) => roomProject.set(r, i)))

  const path = (z: Zone): void => {
    ctx.beginPath()
    z.polygon.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(view.x(x), view.y(y)) : ctx.lineTo(view.x(x), view.y(y))))
    ctx.closePath()
  }
  for (const z of venue.zones) {
    path(z)
    ctx.fillStyle = colours.zoneFill(z.kind)
    ctx.fill()
    const p = roomProject.get(z.id)
    if (p !== undefined) {
      ctx.fillStyle = colours.projectTint(p)
      ctx.fill()
    }
    if (z.kind === 'restricted') {
      ctx.save()
      ctx.clip()
      ctx.strokeStyle = 'rgba(208, 36, 28, 0.18)'
      ctx.lineWidth = 1
      const [minX, maxX] = [Math.min(...z.polygon.map((q) => view.x(q[0]))), Math.max(...z.polygon.map((q) => view.x(q[0])))]
      const [minY, maxY] = [Math.min(...z.polygon.map((q) => view.y(q[1]))), Math.max(...z.polygon.map((q) => view.y(q[1])))]
      for (let s = minX - (maxY - minY); s < maxX; s += 8) {
        ctx.beginPath()
        ctx.moveTo(s, maxY)
        ctx.lineTo(s + (maxY - minY), minY)
        ctx.stroke()
      }
      ctx.restore()
    }
    ctx.strokeStyle = colours.wall
    ctx.lineWidth = 1.5
    path(z)
    ctx.stroke()
  }

  ctx.strokeStyle = colours.graph
  ctx.lineWidth = 1
  const nodes = new Map(venue.nodes.map((n) => [n.id, n.at]))
  ctx.beginPath()
  for (const e of venue.edges) {
    const a = nodes.get(e.from)
    const b = nodes.get(e.to)
    if (a === undefined || b === undefined) continue
    ctx.moveTo(view.x(a[0]), view.y(a[1]))
    ctx.lineTo(view.x(b[0]), view.y(b[1]))
  }
  ctx.stroke()
  ctx.fillStyle = colours.graph
  for (const n of venue.nodes) ctx.fillRect(view.x(n.at[0]) - 1.5, view.y(n.at[1]) - 1.5, 3, 3)

  // a door is a gap in the wall: paint it over the wall line, gates in blue
  for (const d of venue.doors) {
    const r = Math.max(3, (d.width_m * view.scale) / 2)
    ctx.fillStyle = d.gate ? colours.gate : colours.door
    ctx.fillRect(view.x(d.at[0]) - r / 2, view.y(d.at[1]) - r / 2, r, r)
    ctx.strokeStyle = d.gate ? colours.gate : colours.wall
    ctx.lineWidth = 1
    ctx.strokeRect(view.x(d.at[0]) - r / 2, view.y(d.at[1]) - r / 2, r, r)
  }

  ctx.fillStyle = '#3b4450'
  ctx.font = `${Math.max(9, Math.min(13, view.scale * 0.55))}px system-ui, sans-serif`
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  for (const z of venue.zones) {
    const [x, y] = centroid(z)
    ctx.fillText(z.name.length > 18 ? z.id : z.name, view.x(x), view.y(y))
  }
}
