import { arr, each, isRecord, optNum, optStr, ParseError, point, points, record, str, strings, type XY } from './narrow.js'

export interface Zone { id: string; name: string; kind: string; polygon: XY[] }
export interface Door { id: string; at: XY; width_m: number; gate: boolean }
export interface NavNode { id: string; at: XY }
export interface NavEdge { from: string; to: string }
export interface CameraInfo { id: string; name: string; zones: string[] }
export interface RobotInfo { id: string; name: string; kind: string; dockNode: string | null }
export interface ProjectInfo { id: string; name: string; rooms: string[]; experts: string[] }

export interface VenueView {
  site: { id: string; name: string; timezone: string | null }
  width_m: number
  height_m: number
  zones: Zone[]
  doors: Door[]
  nodes: NavNode[]
  edges: NavEdge[]
  cameras: CameraInfo[]
  robots: RobotInfo[]
  projects: ProjectInfo[]
}

function zone(v: unknown): Zone {
  const o = record(v, 'zone')
  const id = str(o, 'id')
  return { id, name: optStr(o, 'name') ?? id, kind: str(o, 'kind'), polygon: points(o['polygon']) }
}

function door(v: unknown): Door {
  const o = record(v, 'door')
  const at = point(o['at'])
  if (at === null) throw new ParseError('door without a position')
  return { id: str(o, 'id'), at, width_m: optNum(o, 'width_m') ?? 0.9, gate: o['gate'] === true }
}

function navNode(v: unknown): NavNode {
  const o = record(v, 'node')
  // the venue file says `at`; a graph export may say `xy`
  const at = point(o['at']) ?? point(o['xy'])
  if (at === null) throw new ParseError('node without a position')
  return { id: str(o, 'id'), at }
}

function navEdge(v: unknown): NavEdge {
  const o = record(v, 'edge')
  return { from: str(o, 'from'), to: str(o, 'to') }
}

function idName(o: Record<string, unknown>): { id: string; name: string } {
  const id = str(o, 'id')
  return { id, name: optStr(o, 'name') ?? id }
}

/** GET /api/venue: the venue file's floor, graph, cameras, robots and projects. */
export function parseVenue(v: unknown): VenueView {
  const o = record(v, 'venue')
  const site = isRecord(o['site']) ? o['site'] : {}
  const floor = record(o['floor'], 'floor')
  // the server may call the navigation graph `graph` (its contract) or `navigation` (the venue file)
  const graph = isRecord(o['graph']) ? o['graph'] : isRecord(o['navigation']) ? o['navigation'] : {}
  const zones = each(arr(floor, 'zones'), zone)
  const extent = zones.flatMap((z) => z.polygon)
  return {
    site: { id: typeof site['id'] === 'string' ? site['id'] : '', name: typeof site['name'] === 'string' ? site['name'] : '', timezone: typeof site['timezone'] === 'string' ? site['timezone'] : null },
    width_m: optNum(floor, 'width_m') ?? Math.max(1, ...extent.map((p) => p[0])),
    height_m: optNum(floor, 'height_m') ?? Math.max(1, ...extent.map((p) => p[1])),
    zones,
    doors: each(arr(floor, 'doors'), door),
    nodes: each(arr(graph, 'nodes'), navNode),
    edges: each(arr(graph, 'edges'), navEdge),
    cameras: each(arr(o, 'cameras'), (c): CameraInfo => {
      const r = record(c, 'camera')
      return { ...idName(r), zones: strings(r, 'zones') }
    }),
    robots: each(arr(o, 'robots'), (c): RobotInfo => {
      const r = record(c, 'robot')
      return { ...idName(r), kind: str(r, 'kind'), dockNode: optStr(r, 'dockNode') }
    }),
    projects: each(arr(o, 'projects'), (c): ProjectInfo => {
      const r = record(c, 'project')
      return { ...idName(r), rooms: strings(r, 'rooms'), experts: strings(r, 'experts') }
    }),
  }
}
