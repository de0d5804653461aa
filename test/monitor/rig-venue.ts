/**
 * The end-to-end monitor tests' venue: eight 10 m x 10 m zones in a row, so a floor x picks the zone.
 *
 *   entrance 0-10 | checkin 10-20 | corridor 20-30 | room-1 30-40 (p1) | room-2 40-50 (p2)
 *   | restroom 50-60 | vault 60-70 (restricted) | exit 70-80
 *
 * Gate g1 joins entrance (outside) and checkin. cam-a (edge-1) sees entrance and checkin, cam-b (edge-1)
 * corridor, rooms and restroom, cam-c (edge-2) vault and exit. The roster is fixed on 2024-05-01 in
 * Asia/Shanghai: session am 08:30-12:00 (arrival from 08:00); p1 experts sub-aaaa1111 and sub-aaaa2222
 * in room-1, p2 expert sub-bbbb1111 in room-2; staff host sub-ssss0001 may enter entrance, checkin, corridor.
 */
import type { VenueInput } from '../../src/config/index.js'
import { square, testVenue } from '../helpers/venue.js'

export type RuleInput = NonNullable<VenueInput['rules']>[number]

/** 2024-05-01 10:00 in Asia/Shanghai: inside the session. */
export const IN_SESSION = Date.UTC(2024, 4, 1, 2, 0)
/** 2024-05-01 06:00 in Asia/Shanghai: before the arrival window. */
export const BEFORE_SESSION = Date.UTC(2024, 3, 30, 22, 0)

/** Floor x of the middle of each zone. */
export const X = { entrance: 5, checkin: 15, corridor: 25, 'room-1': 35, 'room-2': 45, restroom: 55, vault: 65, exit: 75 } as const

const kinds = [
  ['entrance', 'entrance'],
  ['checkin', 'checkin'],
  ['corridor', 'corridor'],
  ['room-1', 'evaluation_room'],
  ['room-2', 'evaluation_room'],
  ['restroom', 'restroom'],
  ['vault', 'restricted'],
  ['exit', 'exit'],
] as const

const calibration = {
  pairs: [
    { image: [0, 0] as [number, number], floor: [0, 0] as [number, number] },
    { image: [1920, 0] as [number, number], floor: [80, 0] as [number, number] },
    { image: [1920, 1080] as [number, number], floor: [80, 10] as [number, number] },
    { image: [0, 1080] as [number, number], floor: [0, 10] as [number, number] },
  ],
}

export function rigVenue(rules: RuleInput[], extra: Partial<VenueInput> = {}) {
  return testVenue({
    floor: {
      width_m: 80,
      height_m: 10,
      zones: kinds.map(([id, kind], i) => ({ id, kind, polygon: square(i * 10, 0, 10, 10), ...(id === 'restroom' ? { capacity: 2 } : {}) })),
      doors: [{ id: 'g1', between: ['entrance', 'checkin'], at: [10, 5], gate: true }],
    },
    navigation: {
      nodes: [
        { id: 'n1', at: [25, 5] },
        { id: 'n2', at: [65, 5] },
        { id: 'n3', at: [5, 5] },
      ],
      edges: [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n3', to: 'n1' },
      ],
    },
    cameras: [
      { id: 'cam-a', rtspUrl: 'rtsp://127.0.0.1:8554/a', edgeNode: 'edge-1', zones: ['entrance', 'checkin'], calibration },
      { id: 'cam-b', rtspUrl: 'rtsp://127.0.0.1:8554/b', edgeNode: 'edge-1', zones: ['corridor', 'room-1', 'room-2', 'restroom'], calibration },
      { id: 'cam-c', rtspUrl: 'rtsp://127.0.0.1:8554/c', edgeNode: 'edge-2', zones: ['vault', 'exit'], calibration },
    ],
    roster: {
      date: '2024-05-01',
      sessions: [{ id: 'am', start: '08:30', end: '12:00', arrivalWindow_min: 30 }],
      projects: [
        { id: 'p1', session: 'am', rooms: ['room-1'], experts: ['sub-aaaa1111', 'sub-aaaa2222'] },
        { id: 'p2', session: 'am', rooms: ['room-2'], experts: ['sub-bbbb1111'] },
      ],
      staff: [{ subject: 'sub-ssss0001', role: 'host', zones: ['entrance', 'checkin', 'corridor'] }],
    },
    rules,
    ...extra,
  })
}
