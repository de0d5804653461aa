import { readFileSync } from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { parseVenue } from '../../src/config/load.js'
import { crossCheck } from '../../src/config/crossref.js'
import { formatPath, type Problem } from '../../src/config/problems.js'
import type { Venue } from '../../src/config/schema/venue.js'
import { fromRoot } from '../helpers/paths.js'

const minimalText = readFileSync(fromRoot('test/fixtures/venues/minimal.yaml'), 'utf8')
const parsed = parseVenue(minimalText)
if (parsed.venue === undefined) throw new Error('minimal.yaml does not load: ' + JSON.stringify(parsed.problems))
const base: Venue = parsed.venue

/** A fresh copy of the minimal venue, changed by `edit`, and the problems crossCheck finds in it. */
function check(edit: (v: Venue) => void): Problem[] {
  const v = structuredClone(base)
  edit(v)
  return crossCheck(v)
}

/** Exactly one problem, at `path`, whose message contains each fragment. */
function one(problems: Problem[], path: Array<string | number>, ...fragments: string[]): void {
  const shown = problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('\n')
  assert.is(problems.length, 1, `expected one problem, got:\n${shown}`)
  const p = problems[0]!
  assert.equal(p.path, path, shown)
  for (const f of fragments) assert.ok(p.message.includes(f), `"${f}" not in: ${p.message}`)
}

const sq = (x0: number, y0: number, x1: number, y1: number): Array<[number, number]> => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
]

test('the minimal venue has no problem', () => {
  assert.equal(parsed.problems, [])
  assert.equal(crossCheck(structuredClone(base)), [])
})

test('polygon: not closed, too few points, self-intersecting, outside the floor', () => {
  one(
    check((v) => v.floor.zones[0]!.polygon.pop()),
    ['floor', 'zones', 0, 'polygon', 3],
    'not closed',
    'must repeat the first [0, 0]',
  )
  one(
    check((v) => {
      v.floor.zones[0]!.polygon = [
        [0, 0],
        [4, 0],
        [4, 0],
        [0, 0],
      ]
    }),
    ['floor', 'zones', 0, 'polygon'],
    '2 distinct points',
  )
  one(
    check((v) => {
      v.floor.zones[0]!.polygon = [
        [0, 0],
        [4, 4],
        [4, 0],
        [0, 4],
        [0, 0],
      ]
    }),
    ['floor', 'zones', 0, 'polygon'],
    'intersects itself at [2, 2]',
  )
  one(
    check((v) => {
      v.floor.zones[4]!.polygon = sq(13, 4, 21, 10)
    }),
    ['floor', 'zones', 4, 'polygon', 1],
    'zone "room-b" reaches outside the floor: point [21, 4] is not within x 0..20 m, y 0..10 m',
  )
})

test('walled rooms may share walls but not overlap', () => {
  // room-a and room-b already share the wall x = 13.
  one(
    check((v) => {
      v.floor.zones[4]!.polygon = sq(12, 4, 20, 10)
    }),
    ['floor', 'zones', 4, 'polygon'],
    'zone "room-b" (evaluation_room) overlaps zone "room-a" (evaluation_room)',
  )
  // A corridor may hold other zones (no walls): only walled kinds are compared.
  assert.equal(
    check((v) => {
      v.floor.zones.push({ id: 'desk', kind: 'staff', polygon: sq(14, 1, 15, 2) })
    }).filter((p) => p.message.includes('overlaps')),
    [],
  )
  one(
    check((v) => {
      v.floor.zones.push({ id: 'wc', kind: 'restroom', polygon: sq(7, 5, 9, 7) })
    }),
    ['floor', 'zones', 5, 'polygon'],
    'zone "wc" (restroom) overlaps zone "room-a"',
  )
})

test('duplicate ids in each list', () => {
  one(
    check((v) => {
      v.floor.zones.push({ id: 'corridor', kind: 'corridor', polygon: sq(0, 4, 6, 10) })
    }),
    ['floor', 'zones', 5, 'id'],
    'duplicate zone id "corridor": already used by floor.zones[2]',
  )
  one(
    check((v) => {
      v.floor.doors.push({ ...structuredClone(v.floor.doors[2]!) })
    }),
    ['floor', 'doors', 4, 'id'],
    'duplicate door id "door-a"',
  )
  one(
    check((v) => {
      v.navigation.edges[1]!.id = 'e-dock'
    }),
    ['navigation', 'edges', 1, 'id'],
    'duplicate navigation edge id "e-dock"',
  )
  one(
    check((v) => {
      v.cameras.push({ ...structuredClone(v.cameras[0]!) })
    }),
    ['cameras', 1, 'id'],
    'duplicate camera id "cam-1"',
  )
  one(
    check((v) => {
      v.rules[1]!.id = 'intruder'
    }),
    ['rules', 1, 'id'],
    'duplicate rule id "intruder"',
  )
  one(
    check((v) => {
      v.principals[2]!.name = 'admin'
      v.principals[2]!.role = 'admin'
      delete v.principals[2]!.robot
    }),
    ['principals', 2, 'name'],
    'duplicate principal name "admin"',
  )
  one(
    check((v) => {
      v.roster.staff.push({ subject: 'sub-host01', role: 'cleaner', zones: ['corridor'] })
    }),
    ['roster', 'staff', 1, 'subject'],
    'duplicate staff subject "sub-host01"',
  )
})

test('doors and the navigation graph name what exists', () => {
  one(
    check((v) => {
      v.floor.doors[2]!.between[1] = 'room-9'
    }),
    ['floor', 'doors', 2, 'between', 1],
    'zone "room-9" does not exist (zones are: entrance, checkin, corridor, room-a, room-b)',
  )
  one(
    check((v) => {
      v.navigation.edges[2]!.door = 'door-z'
    }),
    ['navigation', 'edges', 2, 'door'],
    'door "door-z" does not exist',
  )
  one(
    check((v) => {
      v.navigation.edges[0]!.from = 'n-nowhere'
    }),
    ['navigation', 'edges', 0, 'from'],
    'navigation node "n-nowhere" does not exist',
  )
  one(
    check((v) => {
      v.navigation.nodes[3]!.zone = 'room-z'
    }),
    ['navigation', 'nodes', 3, 'zone'],
    'zone "room-z" does not exist',
  )
  one(
    check((v) => {
      v.navigation.nodes[3]!.at = [16, 5]
    }),
    ['navigation', 'nodes', 3, 'at'],
    'node "n-a" at [16, 5] is not inside its zone "room-a"',
  )
  // On the zone's wall counts as inside.
  assert.equal(
    check((v) => {
      v.navigation.nodes[3]!.at = [9, 4]
    }),
    [],
  )
  one(
    check((v) => {
      delete v.navigation.nodes[3]!.zone
      v.navigation.nodes[3]!.at = [9, 11]
    }),
    ['navigation', 'nodes', 3, 'at'],
    'lies in no zone',
  )
})

test('cameras: zones and calibration', () => {
  one(
    check((v) => {
      v.cameras[0]!.zones.push('lobby')
    }),
    ['cameras', 0, 'zones', 1],
    'zone "lobby" does not exist',
  )
  one(
    check((v) => {
      v.cameras[0]!.calibration.pairs.pop()
    }),
    ['cameras', 0, 'calibration', 'pairs'],
    '3 calibration pairs',
    'at least 4',
  )
  one(
    check((v) => {
      v.cameras[0]!.calibration.pairs[2]!.floor = [13, 0.75] // [7, 1], [13, 0.75] and [19, 0.5] lie on one line
    }),
    ['cameras', 0, 'calibration', 'pairs'],
    'degenerate',
    'floor points of pairs 0, 2 and 3',
  )
  one(
    check((v) => {
      v.cameras[0]!.calibration.pairs[1]!.image = [2000, 1000]
    }),
    ['cameras', 0, 'calibration', 'pairs', 1, 'image'],
    'outside the 1920x1080 image',
  )
})

test('robots: dock node, ros2 section, VDA 5050 identity', () => {
  one(
    check((v) => {
      v.robots[0]!.dockNode = 'n-charger'
    }),
    ['robots', 0, 'dockNode'],
    'navigation node "n-charger" does not exist',
  )
  one(
    check((v) => {
      v.robots[0]!.transport = 'ros2'
    }),
    ['robots', 0, 'transport'],
    'ros2 but has no ros2 section',
  )
  assert.equal(
    check((v) => {
      v.robots[0]!.transport = 'ros2'
      v.robots[0]!.ros2 = { namespace: '/r1' }
    }),
    [],
  )
  one(
    check((v) => {
      v.robots.push({ ...structuredClone(v.robots[0]!), id: 'r2', dockNode: 'n-east' })
    }),
    ['robots', 1, 'vda5050'],
    'same VDA 5050 manufacturer and serialNumber (Acme/R-1) as robot "r1"',
  )
})

test('roster: sessions, rooms, experts, staff', () => {
  one(
    check((v) => {
      v.roster.sessions[0]!.end = '09:00'
    }),
    ['roster', 'sessions', 0, 'end'],
    'ends at 09:00, which is not after its start 09:00',
  )
  one(
    check((v) => {
      v.roster.projects[0]!.session = 's9'
    }),
    ['roster', 'projects', 0, 'session'],
    'session "s9" does not exist (sessions are: s1)',
  )
  one(
    check((v) => {
      v.roster.projects[0]!.rooms.push('room-q')
    }),
    ['roster', 'projects', 0, 'rooms', 1],
    'zone "room-q" does not exist',
  )
  one(
    check((v) => {
      v.roster.projects[0]!.rooms.push('corridor')
    }),
    ['roster', 'projects', 0, 'rooms', 1],
    'is of kind corridor, not an evaluation_room',
  )
  one(
    check((v) => {
      v.roster.sessions.push({ id: 's2', start: '13:30', end: '17:30', arrivalWindow_min: 30 })
      v.roster.projects[1]!.session = 's2'
      v.roster.projects[1]!.rooms = ['room-a']
    }),
    ['floor', 'zones', 4, 'id'],
    'evaluation room "room-b" belongs to no project',
  )
  const shared = check((v) => {
    v.roster.projects[1]!.rooms = ['room-a', 'room-b']
  })
  one(shared, ['roster', 'projects', 1, 'rooms', 0], 'room "room-a" is already used by project "p1" in session "s1"')
  // The same room in two sessions is fine, and so is the same expert.
  assert.equal(
    check((v) => {
      v.roster.sessions.push({ id: 's2', start: '13:30', end: '17:30', arrivalWindow_min: 30 })
      v.roster.projects.push({ id: 'p3', session: 's2', rooms: ['room-a'], experts: ['sub-aaaa01'] })
    }),
    [],
  )
  one(
    check((v) => {
      v.roster.projects[1]!.experts.push('sub-aaaa01')
    }),
    ['roster', 'projects', 1, 'experts', 2],
    'expert sub-aaaa01 is also drawn for project "p1" in session "s1"',
  )
  one(
    check((v) => {
      v.roster.staff[0]!.subject = 'sub-bbbb02'
    }),
    ['roster', 'staff', 0, 'subject'],
    'sub-bbbb02 is listed as staff (host) and drawn as an expert for project "p2"',
  )
  one(
    check((v) => {
      v.roster.staff[0]!.zones.push('canteen')
    }),
    ['roster', 'staff', 0, 'zones', 3],
    'zone "canteen" does not exist',
  )
})

test('rules: zones and the tailgating gate', () => {
  one(
    check((v) => {
      v.rules.push({
        id: 'loiter',
        kind: 'loitering',
        enabled: true,
        severity: 'low',
        response: { notify: true, dispatch: 'none', escalateAfter_s: 120 },
        zones: ['corridor', 'hall'],
        dwell_s: 300,
      })
    }),
    ['rules', 2, 'zones', 1],
    'zone "hall" does not exist',
  )
  one(
    check((v) => {
      const r = v.rules[1]!
      if (r.kind === 'tailgating') r.gate = 'turnstile'
    }),
    ['rules', 1, 'gate'],
    'door "turnstile" does not exist (doors are: gate, door-c, door-a, door-b)',
  )
  one(
    check((v) => {
      v.floor.doors[0]!.gate = false
    }),
    ['rules', 1, 'gate'],
    'door "gate" is not a check-in gate',
  )
})

test('principals: edge and robot bindings', () => {
  one(
    check((v) => {
      delete v.principals[1]!.edgeNode
    }),
    ['principals', 1],
    'role edge but no edgeNode',
  )
  one(
    check((v) => {
      v.principals[1]!.edgeNode = 'edge-7'
    }),
    ['principals', 1, 'edgeNode'],
    'edge node "edge-7" serves no camera (cameras are served by: edge-1)',
  )
  one(
    check((v) => {
      delete v.principals[2]!.robot
    }),
    ['principals', 2],
    'role robot but no robot',
  )
  one(
    check((v) => {
      v.principals[2]!.robot = 'r9'
    }),
    ['principals', 2, 'robot'],
    'robot "r9" does not exist (robots are: r1)',
  )
  one(
    check((v) => {
      v.principals[0]!.edgeNode = 'edge-1'
    }),
    ['principals', 0, 'edgeNode'],
    'edgeNode is only for role edge; principal "admin" has role admin',
  )
  one(
    check((v) => {
      v.principals[1]!.robot = 'r1'
    }),
    ['principals', 1, 'robot'],
    'robot is only for role robot; principal "edge-1" has role edge',
  )
})

test.run()
