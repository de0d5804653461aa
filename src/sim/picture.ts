/**
 * The report's picture: the floor plan (zones tinted by kind, rooms by project, doors, the robots'
 * graph faint), every recorded track as a line (experts in their project's colour, staff grey, unknown
 * red), and every alert as a numbered marker with a legend. Drawn as SVG and rendered to PNG by sharp.
 */
import sharp from 'sharp'
import type { Venue } from '../config/schema/venue.js'
import type { Alert } from '../contract/venue/alerts.js'
import type { TrackLine } from './recorder.js'

const KIND_FILL: Record<string, string> = {
  entrance: '#e8f0fe',
  checkin: '#d2e3fc',
  corridor: '#f1f3f4',
  evaluation_room: '#ffffff',
  restroom: '#fce8e6',
  dining: '#fef7e0',
  kitchen: '#fef7e0',
  staff: '#e6f4ea',
  dock: '#ede7f6',
  exit: '#e8f0fe',
  restricted: '#fad2cf',
}
const PALETTE = ['#1a73e8', '#188038', '#e37400', '#9334e6', '#00897b', '#c2185b', '#5f6368', '#3949ab', '#7cb342', '#6d4c41']
const SEVERITY = { info: '#5f6368', low: '#1a73e8', medium: '#e37400', high: '#d93025', critical: '#a50e0e' } as const

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)

export interface PictureInput {
  venue: Venue
  tracks: readonly TrackLine[]
  alerts: readonly Alert[]
  title: string
  /** Pixels per metre (default: the floor fits about 1600 px wide). */
  scale?: number
}

export function reportSvg(p: PictureInput): string {
  const { venue } = p
  const { width_m, height_m } = venue.floor
  const k = p.scale ?? Math.max(8, Math.min(40, 1600 / width_m))
  const margin = 20
  const head = 40
  const legendRows = Math.min(p.alerts.length, 30)
  const W = Math.round(width_m * k + 2 * margin)
  const mapH = Math.round(height_m * k)
  const H = head + mapH + margin + 18 * legendRows + margin
  // floor y grows north; the picture's y grows down
  const X = (x: number): number => margin + x * k
  const Y = (y: number): number => head + (height_m - y) * k
  const pts = (ps: ReadonlyArray<readonly [number, number]>): string => ps.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ')
  const projectColour = new Map(venue.roster.projects.map((pr, i) => [pr.id, PALETTE[i % PALETTE.length]!]))
  const roomColour = new Map(venue.roster.projects.flatMap((pr) => pr.rooms.map((r) => [r, projectColour.get(pr.id)!] as const)))

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fafafa"/>`,
    `<text x="${margin}" y="26" font-size="16" fill="#202124">${esc(p.title)}</text>`,
  ]
  for (const z of venue.floor.zones) {
    const tint = roomColour.get(z.id)
    out.push(`<polygon points="${pts(z.polygon)}" fill="${KIND_FILL[z.kind] ?? '#ffffff'}" stroke="#9aa0a6" stroke-width="1"/>`)
    if (tint !== undefined) out.push(`<polygon points="${pts(z.polygon)}" fill="${tint}" fill-opacity="0.10"/>`)
    const xs = z.polygon.map((q) => q[0])
    const ys = z.polygon.map((q) => q[1])
    out.push(`<text x="${X(Math.min(...xs)) + 3}" y="${Y(Math.max(...ys)) + 11}" font-size="9" fill="#5f6368">${esc(z.id)}</text>`)
  }
  const nodes = new Map(venue.navigation.nodes.map((n) => [n.id, n.at]))
  for (const e of venue.navigation.edges) {
    const a = nodes.get(e.from)
    const b = nodes.get(e.to)
    if (a && b) out.push(`<line x1="${X(a[0])}" y1="${Y(a[1])}" x2="${X(b[0])}" y2="${Y(b[1])}" stroke="#dadce0" stroke-width="1" stroke-dasharray="3 3"/>`)
  }
  for (const d of venue.floor.doors) out.push(`<circle cx="${X(d.at[0])}" cy="${Y(d.at[1])}" r="2.5" fill="${d.gate ? '#d93025' : '#80868b'}"/>`)
  for (const t of p.tracks) {
    if (t.points.length < 2) continue
    const colour = t.category === 'unknown' ? '#d93025' : t.category === 'staff' ? '#80868b' : (t.project !== null ? projectColour.get(t.project) : undefined) ?? '#5f6368'
    out.push(`<polyline points="${pts(t.points)}" fill="none" stroke="${colour}" stroke-opacity="${t.category === 'unknown' ? 0.9 : 0.35}" stroke-width="${t.category === 'unknown' ? 1.6 : 1}"/>`)
  }
  p.alerts.forEach((a, i) => {
    if (a.floor === null) return
    const c = SEVERITY[a.severity]
    out.push(`<circle cx="${X(a.floor[0])}" cy="${Y(a.floor[1])}" r="8" fill="${c}" fill-opacity="0.85" stroke="#fff"/>`)
    out.push(`<text x="${X(a.floor[0])}" y="${Y(a.floor[1]) + 3.5}" font-size="10" fill="#fff" text-anchor="middle">${i + 1}</text>`)
  })
  p.alerts.slice(0, legendRows).forEach((a, i) => {
    const y = head + mapH + margin + 14 + 18 * i
    out.push(`<circle cx="${margin + 7}" cy="${y - 4}" r="7" fill="${SEVERITY[a.severity]}"/>`)
    out.push(`<text x="${margin + 7}" y="${y - 0.5}" font-size="9" fill="#fff" text-anchor="middle">${i + 1}</text>`)
    out.push(`<text x="${margin + 20}" y="${y}" font-size="12" fill="#202124">${esc(`${a.firstAt.slice(11, 19)}Z  ${a.severity}  ${a.rule}  ${a.zone ?? '-'}  ${a.subjects.join(', ')}  (x${a.count})`)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n')
}

/** Render the picture to a PNG file. */
export async function writeReportPng(file: string, p: PictureInput): Promise<void> {
  await sharp(Buffer.from(reportSvg(p))).png().toFile(file)
}
