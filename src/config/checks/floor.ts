import type { ZoneKind } from '../schema/common.js'
import {
  distinctPointCount,
  findSelfIntersection,
  interiorsOverlap,
  isClosedRing,
  pointInPolygon,
  polygonArea,
  ringVertices,
  type Point,
} from '../geometry.js'
import { fmtPoint, indexUnique, missing, report, type Ctx } from './util.js'

/** Kinds of zone that are rooms with walls: two of them may share a wall but never floor. */
export const WALLED_KINDS: ReadonlySet<ZoneKind> = new Set<ZoneKind>(['evaluation_room', 'restroom', 'kitchen', 'staff', 'dining'])

/** Zones: ids, polygon shape, floor bounds, overlaps of walled rooms. Doors: the zones they join. */
export function checkFloor(ctx: Ctx): void {
  const { floor } = ctx.venue
  for (const [id, zone] of indexUnique(ctx, floor.zones, (z) => z.id, ['floor', 'zones'], 'id', 'zone id')) ctx.zones.set(id, zone)

  floor.zones.forEach((zone, i) => {
    const path = ['floor', 'zones', i, 'polygon']
    const poly = zone.polygon
    const first = poly[0]
    const last = poly[poly.length - 1]
    if (first !== undefined && last !== undefined && !isClosedRing(poly)) {
      report(ctx, [...path, poly.length - 1], `polygon of zone "${zone.id}" is not closed: the last point ${fmtPoint(last)} must repeat the first ${fmtPoint(first)}`)
    }
    const distinct = distinctPointCount(poly)
    let usable = true
    if (distinct < 3) {
      report(ctx, path, `polygon of zone "${zone.id}" has ${distinct} distinct point${distinct === 1 ? '' : 's'}; a zone needs at least 3`)
      usable = false
    } else {
      const cross = findSelfIntersection(poly)
      if (cross !== undefined) {
        const v = ringVertices(poly)
        const edge = (e: number): string => `${fmtPoint(v[e]!)}->${fmtPoint(v[(e + 1) % v.length]!)}`
        report(
          ctx,
          path,
          `polygon of zone "${zone.id}" intersects itself at ${fmtPoint(cross.at)}: edge ${edge(cross.edges[0])} meets edge ${edge(cross.edges[1])}`,
        )
        usable = false
      } else if (polygonArea(poly) < 1e-6) {
        report(ctx, path, `polygon of zone "${zone.id}" has no area: its points lie on one line`)
        usable = false
      }
    }
    const outside = poly.findIndex(([x, y]) => x < 0 || y < 0 || x > floor.width_m || y > floor.height_m)
    if (outside >= 0) {
      report(
        ctx,
        [...path, outside],
        `zone "${zone.id}" reaches outside the floor: point ${fmtPoint(poly[outside]!)} is not within x 0..${floor.width_m} m, y 0..${floor.height_m} m (floor.width_m, floor.height_m)`,
      )
    }
    if (usable && ctx.zones.get(zone.id) === zone) ctx.rings.set(zone.id, ringVertices(poly))
  })

  // Walled rooms may share walls, not floor.
  const walled = floor.zones.map((z, i) => ({ z, i, ring: ctx.rings.get(z.id) })).filter((e) => WALLED_KINDS.has(e.z.kind) && e.ring !== undefined && ctx.zones.get(e.z.id) === e.z)
  for (let b = 0; b < walled.length; b++) {
    for (let a = 0; a < b; a++) {
      const za = walled[a]!
      const zb = walled[b]!
      if (interiorsOverlap(za.ring as Point[], zb.ring as Point[])) {
        report(
          ctx,
          ['floor', 'zones', zb.i, 'polygon'],
          `zone "${zb.z.id}" (${zb.z.kind}) overlaps zone "${za.z.id}" (${za.z.kind}): their interiors intersect (sharing a wall is fine)`,
        )
      }
    }
  }

  for (const [id, door] of indexUnique(ctx, floor.doors, (d) => d.id, ['floor', 'doors'], 'id', 'door id')) ctx.doors.set(id, door)
  floor.doors.forEach((door, i) => {
    door.between.forEach((zoneId, k) => {
      if (!ctx.zones.has(zoneId)) report(ctx, ['floor', 'doors', i, 'between', k], missing('zone', 'zones', zoneId, ctx.zones.keys()))
    })
    if (door.between[0] === door.between[1]) report(ctx, ['floor', 'doors', i, 'between'], `door "${door.id}" joins zone "${door.between[0]}" to itself`)
  })
}

/** Navigation graph: ids, edge ends and doors, nodes standing in their zones. */
export function checkNavigation(ctx: Ctx): void {
  const nav = ctx.venue.navigation
  for (const [id, node] of indexUnique(ctx, nav.nodes, (n) => n.id, ['navigation', 'nodes'], 'id', 'navigation node id')) ctx.nodes.set(id, node)
  indexUnique(ctx, nav.edges, (e) => e.id, ['navigation', 'edges'], 'id', 'navigation edge id')

  nav.nodes.forEach((node, i) => {
    if (node.zone !== undefined) {
      if (!ctx.zones.has(node.zone)) {
        report(ctx, ['navigation', 'nodes', i, 'zone'], missing('zone', 'zones', node.zone, ctx.zones.keys()))
        return
      }
      const ring = ctx.rings.get(node.zone)
      if (ring !== undefined && !pointInPolygon(node.at, ring)) {
        report(ctx, ['navigation', 'nodes', i, 'at'], `node "${node.id}" at ${fmtPoint(node.at)} is not inside its zone "${node.zone}"`)
      }
      return
    }
    // No zone given: the node must at least stand on some zone of the floor.
    if (ctx.rings.size > 0 && ![...ctx.rings.values()].some((ring) => pointInPolygon(node.at, ring))) {
      report(ctx, ['navigation', 'nodes', i, 'at'], `node "${node.id}" at ${fmtPoint(node.at)} lies in no zone`)
    }
  })

  nav.edges.forEach((edge, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!ctx.nodes.has(edge[end])) report(ctx, ['navigation', 'edges', i, end], missing('navigation node', 'nodes', edge[end], ctx.nodes.keys()))
    }
    if (edge.from === edge.to) report(ctx, ['navigation', 'edges', i, 'to'], `edge "${edge.id}" goes from node "${edge.from}" to itself`)
    if (edge.door !== undefined && !ctx.doors.has(edge.door)) {
      report(ctx, ['navigation', 'edges', i, 'door'], missing('door', 'doors', edge.door, ctx.doors.keys()))
    }
  })
}
