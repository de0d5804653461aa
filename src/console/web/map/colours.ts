import type { Category, RobotMode, Severity } from '../data/records.js'

/**
 * One palette for the whole page. Projects get distinct hues that stay clear of red (red means
 * "unknown person" and "alert") and of grey (staff).
 */
const PROJECT_HUES = ['#2f7de1', '#2aa876', '#b35fd6', '#e09a1f', '#1fb5c4', '#8c6d3f', '#d65fa0', '#6f7fe0']

const UNKNOWN = '#e5322d'
const STAFF = '#8a9099'
const OTHER = '#c9ced6'

/** Colour groups of people: 0..n-1 projects, then the fixed ones. */
const FIXED_GROUPS = { unknown: 0, staff: 1, other: 2 } as const

const ZONE_FILL: Record<string, string> = {
  entrance: '#eef3f7',
  checkin: '#e6eef8',
  corridor: '#f3f4f6',
  evaluation_room: '#ffffff',
  restroom: '#eef1f1',
  dining: '#f6f1e7',
  kitchen: '#f6ece4',
  staff: '#eceaf3',
  dock: '#e9eef0',
  exit: '#eef3f7',
  restricted: '#f8e3e3',
}

const MODE: Record<RobotMode, string> = {
  idle: '#5c6b7a',
  mission: '#1f7a4d',
  charging: '#b88a00',
  docking: '#8a6d00',
  fault: '#d0241c',
  paused: '#7a5cc4',
}

const SEVERITY: Record<Severity, string> = {
  info: '#5c6b7a',
  low: '#2f7de1',
  medium: '#d08a00',
  high: '#e0561f',
  critical: '#d0241c',
}

function project(i: number): string {
  return PROJECT_HUES[i % PROJECT_HUES.length] ?? OTHER
}

export const colours = {
  project,
  projectTint(i: number): string {
    return `${project(i)}22`
  },
  zoneFill(kind: string): string {
    return ZONE_FILL[kind] ?? '#f3f4f6'
  },
  mode(m: RobotMode): string {
    return MODE[m]
  },
  severity(s: Severity): string {
    return SEVERITY[s]
  },
  /** Groups: fixed ones first (unknown, staff, other), then one per project index. */
  personGroup(category: Category, projectIndex: number | undefined): number {
    if (category === 'unknown') return FIXED_GROUPS.unknown
    if (category === 'staff') return FIXED_GROUPS.staff
    if (category === 'expert' && projectIndex !== undefined) return 3 + projectIndex
    return FIXED_GROUPS.other
  },
  group(g: number): string {
    if (g === FIXED_GROUPS.unknown) return UNKNOWN
    if (g === FIXED_GROUPS.staff) return STAFF
    if (g === FIXED_GROUPS.other) return OTHER
    return project(g - 3)
  },
  unknown: UNKNOWN,
  wall: '#5d6673',
  door: '#ffffff',
  gate: '#2f7de1',
  graph: 'rgba(80, 110, 160, 0.22)',
  trajectory: '#e5322d',
}
