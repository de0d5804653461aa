/**
 * `npm run bench:fleet`: one delivery round of 40 meals (40 rooms, one mission) by 2, 4 and 8 robots:
 * the time from the request to the mission completed against a simple lower bound, and the MQTT
 * messages per second the fleet's connection handles. Figures only: a benchmark never asserts.
 *
 * Each run: our broker (in this process, in memory), SimVehicles r1..rN (VDA 5050 over the broker, each
 * on its own dock, 1.2 m/s, sim clock x BENCH_SPEED), the real Fleet role (venue.fleet: 4 meals per
 * trip, planning at 1.2 m/s), a console client that publishes the mission request. "People" press the
 * waitForTrigger buttons through `vehicle.trigger()` once the action has been RUNNING for LOAD_S sim
 * seconds at the kitchen and HATCH_S at a hatch (sim time = wall time x BENCH_SPEED; polled every
 * POLL_MS wall ms, so each press lands up to POLL_MS x speed late, which counts as overhead).
 *
 * Total = mission endedAt (fleet clock) - the wall time the request was published, x speed: every robot
 * is back on its dock then. The bound and its parts are explained in fleet-venue.ts (lowerBound).
 * Messages: PUBLISH packets received and sent on the fleet's own MQTT connection (its Bus client's
 * 'packetreceive' / 'packetsend' events; acks and pings not counted), per wall second of the round.
 * Where the robots' time went: each vehicle's state() sampled every POLL_MS: driving; driving back to
 * its dock while rooms of the mission are still unassigned (a trip ends at the robot's dock, and only
 * then can it take the next one); at a hand-over (a waitForTrigger RUNNING); waiting for a lane
 * (standing with unreleased horizon nodes: a reservation held elsewhere); between legs (on a trip,
 * standing, nothing to wait for: the fleet's turn-around between a stop and the next leg);
 * idle while rooms are still unassigned; idle with nothing left to take. "Lane already free": lane
 * waiting while nobody else held the lane's resources (a hand-off the fleet had not passed on yet);
 * "holder not at the lane yet": the lane was held by a robot still on its way to it (the driver
 * reserves every free single lane of a leg when the leg starts), by its state's edgeStates.
 *
 * Wall-clock costs are stretched by the sim clock: the fleet's CPU time (planning the first trips takes
 * ~0.1 s wall) and each message turn-around count SPEED times over, so a slower clock gives slightly
 * lower totals (BENCH_SPEED=25 for a closer look). Knobs: BENCH_SPEED, BENCH_RUNS, BENCH_ROBOTS=2,4,8,
 * BENCH_MEALS (meals per trip), BENCH_FLEET_TICK_MS; BENCH_VERBOSE=1 prints each robot's trips and
 * deliveries (room@sim s) per run, BENCH_VERBOSE=2 also where it stood still (phase:node sim s).
 *
 * The broker runs in this process: the fleet's load is tens of messages per second (CPU is printed).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { IPublishPacket, Packet } from 'mqtt'
import { Bus } from '../src/contract/bus.js'
import { stamp } from '../src/contract/envelope.js'
import { Fleet } from '../src/robots/fleet.js'
import { resourcesOf } from '../src/robots/reservations.js'
import { silentLogger } from '../src/shared/log.js'
import { SimVehicle } from '../src/sim/vehicle/index.js'
import { sleep, startBroker } from '../test/helpers/mqtt.js'
import { password, SITE } from '../test/helpers/venue.js'
import { benchPrincipals, benchVenue, dockNode, lowerBound, ROOMS, SPEED_MPS, type Bound } from './fleet-venue.js'
import { ownCpu } from './proc.js'
import { fmt, median, table } from './stats.js'

const SPEED = Number(process.env.BENCH_SPEED ?? 70)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const FLEETS = (process.env.BENCH_ROBOTS ?? '2,4,8').split(',').map(Number)
const MEALS_PER_TRIP = Number(process.env.BENCH_MEALS ?? 4)
/** Sim seconds the kitchen takes to load a trip, and a recipient to take a meal at the hatch. */
const LOAD_S = 20
const HATCH_S = 10
const POLL_MS = 10
/** Vehicle motion loop, wall ms (at speed 70: 1.4 sim s per tick; the motion itself is exact across nodes). */
const VEHICLE_TICK_MS = 20
/**
 * The fleet's tick (default 250 ms) hands freed lanes to waiting robots and re-runs allocation; in
 * sim time it would be SPEED times longer, so it is scaled down to keep 250 ms of sim time.
 */
const FLEET_TICK_MS = Number(process.env.BENCH_FLEET_TICK_MS ?? Math.max(2, Math.round(250 / SPEED)))

type Phase = 'driving' | 'homeWork' | 'handover' | 'lane' | 'between' | 'idleWork' | 'idleDone'
const PHASES: Phase[] = ['driving', 'homeWork', 'handover', 'lane', 'between', 'idleWork', 'idleDone']

interface RunResult {
  ok: boolean
  problem: string | null
  total_s: number
  wall_s: number
  msgsIn: number
  msgsOut: number
  byTopic: Map<string, number>
  /** Sim seconds per phase, summed over robots. */
  phases: Record<Phase, number>
  /** Sim seconds robots stood waiting for a lane that nobody else held (a release not yet passed on). */
  laneFree: number
  /** Sim seconds robots waited for a lane held by a robot that had not reached it yet (reserved with its whole leg). */
  laneAhead: number
  /** The longest time one robot stood waiting for a lane without a break. */
  longestWait: { robot: string; node: string; s: number }
  delivered: number
  perRobot: number[]
  cpu: number
  lagP99_ms: number
  lagMax_ms: number
  atDocks: number
}

const topicKind = (topic: string): string => {
  const s = topic.split('/')
  if (s[0] === 'venue') return s[3] === 'missions' ? (s[4] === 'requests' ? 'missionRequest' : 'missionState') : s[3] === 'robots' ? 'robotStatus' : s.slice(3).join('/')
  return `vda ${s.at(-1)}`
}

let seq = 0

async function run(robots: number, principals: Awaited<ReturnType<typeof benchPrincipals>>, bound: Bound): Promise<RunResult> {
  const venue = benchVenue(robots, principals, MEALS_PER_TRIP)
  const broker = await startBroker(venue)
  const url = broker.tcpUrl
  const vehicles: SimVehicle[] = []
  let fleet: Fleet | undefined
  const console_ = new Bus({ url, username: 'console', password: password('console'), clientId: `console-bench-fleet-${process.pid}-${++seq}` })
  let poll: NodeJS.Timeout | undefined
  const lag = monitorEventLoopDelay({ resolution: 5 })
  try {
    await console_.start()
    for (let i = 1; i <= robots; i++) {
      const v = new SimVehicle({ venue, robot: `r${i}`, url, username: `robot-r${i}`, password: password(`robot-r${i}`), startNode: dockNode(i), speed_mps: SPEED_MPS, speed: SPEED, tick_ms: VEHICLE_TICK_MS, drain_pct_per_m: 0.01 })
      await v.start()
      vehicles.push(v)
    }
    fleet = new Fleet({ venue, url, username: 'fleet', password: password('fleet'), dbFile: ':memory:', logger: silentLogger(), tick_ms: FLEET_TICK_MS, clientId: `fleet-bench-${process.pid}-${seq}` })
    await fleet.start()
    // wait until the fleet has heard every robot online on its dock
    const f = fleet
    for (let i = 0; i < 200; i++) {
      const ready = vehicles.every((v) => v.connected)
      const snaps = (f as unknown as { robots: Map<string, { driver: { link: { snapshot(): { connection: string; node: string | null } } } }> }).robots
      if (ready && [...snaps.values()].every((rt) => rt.driver.link.snapshot().connection === 'online' && rt.driver.link.snapshot().node !== null)) break
      await sleep(25)
    }
    const raw = (fleet as unknown as { bus: Bus }).bus.raw
    const byTopic = new Map<string, number>()
    let msgsIn = 0
    let msgsOut = 0
    raw.on('packetreceive', (p: Packet) => {
      if (p.cmd !== 'publish') return
      msgsIn++
      const k = `in ${topicKind((p as IPublishPacket).topic)}`
      byTopic.set(k, (byTopic.get(k) ?? 0) + 1)
    })
    raw.on('packetsend', (p: Packet) => {
      if (p.cmd !== 'publish') return
      msgsOut++
      const k = `out ${topicKind((p as IPublishPacket).topic)}`
      byTopic.set(k, (byTopic.get(k) ?? 0) + 1)
    })

    // the people at the kitchen and the hatches; the sampler of where the robots' time goes
    const phases = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>
    const runningSince = new Map<string, number>()
    const requestId = `rq-bench-${process.pid}-${seq}`
    const missionOf = () => [...f.missions.values()].find((m) => m.requestId === requestId)
    const edgeById = new Map(venue.navigation.edges.map((e) => [e.id, e]))
    let laneFree = 0
    let laneAhead = 0
    const laneStreak = new Map<string, { s: number; node: string }>()
    let longestWait = { robot: '', node: '', s: 0 }
    const byRobot = new Map(vehicles.map((v) => [v.robot, v]))
    const onTrip = new Map<string, boolean>()
    const tripLog = new Map<string, string[]>()
    const segLog = new Map<string, Array<{ tag: string; s: number }>>()
    let t0 = Date.now()
    let last = performance.now()
    poll = setInterval(() => {
      const now = performance.now()
      const dt = ((now - last) / 1000) * SPEED
      last = now
      const m = missionOf()
      for (const v of vehicles) {
        const s = v.state()
        let handover = false
        for (const a of s.actionStates) {
          if (a.actionType !== 'waitForTrigger' || a.actionStatus !== 'RUNNING') continue
          handover = true
          let since = runningSince.get(a.actionId)
          if (since === undefined) runningSince.set(a.actionId, (since = now))
          const kitchen = a.actionId.startsWith('load-')
          if (((now - since) / 1000) * SPEED >= (kitchen ? LOAD_S : HATCH_S)) {
            const room = /^hatch-(.+)-[a-z0-9]+-[a-z0-9]+$/.exec(a.actionId)?.[1]
            v.trigger(a.actionId, kitchen ? 'kitchen' : `recipient-${room ?? 'unknown'}`)
          }
        }
        if (m === undefined) continue
        const on = m.active.has(v.robot)
        if (on !== (onTrip.get(v.robot) ?? false)) {
          onTrip.set(v.robot, on)
          const list = tripLog.get(v.robot) ?? []
          list.push(`${on ? 'trip' : 'end'}@${fmt(((Date.now() - t0) / 1000) * SPEED)}`)
          tripLog.set(v.robot, list)
        }
        const home = s.nodeStates.at(-1)?.nodeId === dockNode(Number(v.robot.slice(1)))
        const phase: Phase = s.driving ? (home && m.pendingRooms.length > 0 ? 'homeWork' : 'driving') : handover ? 'handover' : s.nodeStates.some((n) => !n.released) ? 'lane' : m.active.has(v.robot) ? 'between' : m.pendingRooms.length > 0 ? 'idleWork' : 'idleDone'
        phases[phase] += dt
        if (process.env.BENCH_VERBOSE) {
          const segs = segLog.get(v.robot) ?? []
          const tag = `${phase}:${s.lastNodeId}`
          const lastSeg = segs.at(-1)
          if (lastSeg?.tag === tag) lastSeg.s += dt
          else segs.push({ tag, s: dt })
          segLog.set(v.robot, segs)
        }
        const streak = phase === 'lane' ? { s: (laneStreak.get(v.robot)?.s ?? 0) + dt, node: s.lastNodeId } : { s: 0, node: '' }
        laneStreak.set(v.robot, streak)
        if (streak.s > longestWait.s) longestWait = { robot: v.robot, ...streak }
        if (phase === 'lane') {
          // the lane it waits for: the first unreleased edge and the run of reserved edges from it
          const next = s.edgeStates.find((e) => !e.released)
          const edge = next === undefined ? undefined : edgeById.get(next.edgeId)
          const holders = edge === undefined ? [] : resourcesOf(edge).map((r) => f.reservations.heldBy(r))
          if (holders.every((h) => h === undefined || h === v.robot)) laneFree += dt
          else if (edge !== undefined) {
            // the holder reserved the lane for a leg that gets there later: it is not on the lane or at its ends yet
            const away = holders.some((h) => {
              const hs = h === undefined || h === v.robot ? undefined : byRobot.get(h)?.state()
              return hs !== undefined && hs.edgeStates.some((e) => e.edgeId === edge.id) && hs.lastNodeId !== edge.from && hs.lastNodeId !== edge.to
            })
            if (away) laneAhead += dt
          }
        }
      }
    }, POLL_MS)

    const c0 = ownCpu()
    t0 = Date.now()
    const w0 = performance.now()
    lag.enable()
    await console_.publish('missionRequest', { site: SITE }, { ...stamp(), action: 'start', requestId, requestedBy: 'bench', kind: 'delivery', rooms: [...ROOMS], nodes: [], loop: false })
    const timeout_ms = ((bound.bound_s * 5) / SPEED) * 1000 + 15_000
    let m = missionOf()
    while (performance.now() - w0 < timeout_ms) {
      m = missionOf()
      if (m !== undefined && (m.state === 'completed' || m.state === 'failed' || m.state === 'cancelled')) break
      await sleep(5)
    }
    lag.disable()
    const wall_s = (performance.now() - w0) / 1000
    const cpu = (ownCpu() - c0) / wall_s
    clearInterval(poll)
    poll = undefined
    const proofs = fleet.deliveries()
    const perRobot = vehicles.map((v) => proofs.filter((p) => p.robot === v.robot).length)
    const served = new Set(proofs.map((p) => p.room))
    const unconfirmed = proofs.filter((p) => !p.confirmedBy.startsWith('recipient-')).length
    const atDocks = vehicles.filter((v, i) => v.state().lastNodeId === dockNode(i + 1)).length
    let problem: string | null = null
    if (m === undefined) problem = 'the fleet never made a mission of the request'
    else if (m.state !== 'completed') {
      const where = vehicles.map((v) => `${v.robot}@${v.state().lastNodeId}${v.state().driving ? '(driving)' : ''}`).join(' ')
      problem = `mission ${m.state} after ${fmt(wall_s, 1)} s wall: ${m.step}; ${m.delivered.length}/40 delivered, ${m.pendingRooms.length} unassigned, on trips: ${[...m.active].join(',') || 'none'}; ${where}`
    } else if (served.size !== ROOMS.length || proofs.length !== ROOMS.length) problem = `${proofs.length} proofs for ${served.size} distinct rooms`
    else if (unconfirmed > 0) problem = `${unconfirmed} hand-overs not confirmed by the recipient`
    if (process.env.BENCH_VERBOSE) {
      for (const v of vehicles) {
        const mine = proofs
          .filter((p) => p.robot === v.robot)
          .sort((a, b) => a.at.localeCompare(b.at))
          .map((p) => `${p.room}@${fmt(((Date.parse(p.at) - t0) / 1000) * SPEED)}`)
        console.log(`  ${robots} robots, ${v.robot}: ${(tripLog.get(v.robot) ?? []).join(' ')} | ${mine.join(' ')}`)
        if (process.env.BENCH_VERBOSE === '2') console.log(`    ${(segLog.get(v.robot) ?? []).filter((x) => x.s >= 2 && !x.tag.startsWith('driving')).map((x) => `${x.tag} ${fmt(x.s)}`).join(', ')}`)
      }
    }
    const total_s = m?.endedAt ? ((Date.parse(m.endedAt) - t0) / 1000) * SPEED : NaN
    return {
      ok: problem === null,
      problem,
      total_s,
      wall_s,
      msgsIn,
      msgsOut,
      byTopic,
      phases,
      laneFree,
      laneAhead,
      longestWait,
      delivered: proofs.length,
      perRobot,
      cpu,
      lagP99_ms: lag.percentile(99) / 1e6,
      lagMax_ms: lag.max / 1e6,
      atDocks,
    }
  } finally {
    if (poll) clearInterval(poll)
    await fleet?.stop()
    for (const v of vehicles) await v.stop()
    await console_.stop()
    await broker.broker.stop()
  }
}

async function main(): Promise<void> {
  const t00 = performance.now()
  const principals = await benchPrincipals()
  const probe = benchVenue(2, principals, MEALS_PER_TRIP)
  const edges = probe.navigation.edges
  console.log(
    `venue: ${ROOMS.length} rooms in two wings, kitchen, ${8} docks; ${probe.navigation.nodes.length} nodes, ${edges.length} edges, single lane: ${edges.filter((e) => e.singleLane).map((e) => e.id).join(', ')}`,
  )
  console.log(
    `round: one delivery mission of ${ROOMS.length} rooms, ${MEALS_PER_TRIP} meals per trip; vehicles ${SPEED_MPS} m/s, sim clock x${SPEED} (vehicle tick ${VEHICLE_TICK_MS} ms, fleet tick ${FLEET_TICK_MS} ms wall); loading ${LOAD_S} s, hand-over ${HATCH_S} s (sim), pressed by a poller every ${POLL_MS} ms wall (<= ${fmt((POLL_MS / 1000) * SPEED, 1)} sim s late); ${RUNS} run(s) per fleet size, medians\n`,
  )
  const rows: string[][] = [['robots', 'total sim s (median)', 'min-max', 'bound s', 'bound from', 'ratio', 'wall s', 'fleet msgs/s (in+out)', 'in/s', 'out/s', 'msgs per sim minute', 'meals per robot', 'CPU', 'loop lag p99 ms']]
  const split: string[][] = [['robots', 'driving', 'driving to the dock, rooms unassigned', 'hand-over', 'waiting for a lane', 'between legs', 'idle, rooms unassigned', 'idle, nothing left', 'of it: lane already free', 'of it: holder not at the lane yet']]
  const problems: string[] = []
  const topicsAll = new Map<number, Map<string, number>>()
  for (const n of FLEETS) {
    const bound = lowerBound(benchVenue(n, principals, MEALS_PER_TRIP), ROOMS, n, LOAD_S, HATCH_S)
    const runs: RunResult[] = []
    for (let r = 0; r < RUNS; r++) {
      const res = await run(n, principals, bound)
      runs.push(res)
      if (!res.ok) problems.push(`${n} robots, run ${r + 1}: ${res.problem}`)
      if (res.atDocks !== n) problems.push(`${n} robots, run ${r + 1}: ${n - res.atDocks} robot(s) not on their dock at the end`)
    }
    const done = runs.filter((r) => r.ok)
    const use = done.length > 0 ? done : runs
    const totals = use.map((r) => r.total_s)
    const rate = (f: (r: RunResult) => number) => median(use.map((r) => f(r) / r.wall_s))
    const total = median(totals)
    rows.push([
      `${n}${done.length < runs.length ? ` (${runs.length - done.length} failed)` : ''}`,
      fmt(total),
      `${fmt(Math.min(...totals))}-${fmt(Math.max(...totals))}`,
      fmt(bound.bound_s),
      bound.binding === 'trip' ? `trip (${bound.tripRoom})` : 'work / robots',
      `${fmt(total / bound.bound_s, 2)}x`,
      fmt(median(use.map((r) => r.wall_s)), 1),
      fmt(rate((r) => r.msgsIn + r.msgsOut)),
      fmt(rate((r) => r.msgsIn)),
      fmt(rate((r) => r.msgsOut)),
      fmt(median(use.map((r) => ((r.msgsIn + r.msgsOut) / r.total_s) * 60))),
      (() => {
        const all = use.flatMap((r) => r.perRobot)
        return `${Math.min(...all)}-${Math.max(...all)}`
      })(),
      `${fmt(100 * median(use.map((r) => r.cpu)))}%`,
      fmt(median(use.map((r) => r.lagP99_ms)), 1),
    ])
    const phaseTotal = (r: RunResult) => PHASES.reduce((s, p) => s + r.phases[p], 0)
    split.push([String(n), ...PHASES.map((p) => `${fmt(100 * median(use.map((r) => r.phases[p] / phaseTotal(r))), 1)}%`), `${fmt(100 * median(use.map((r) => r.laneFree / phaseTotal(r))), 1)}%`, `${fmt(100 * median(use.map((r) => r.laneAhead / phaseTotal(r))), 1)}%`])
    const merged = new Map<string, number>()
    for (const r of use) for (const [k, c] of r.byTopic) merged.set(k, (merged.get(k) ?? 0) + c / use.length)
    topicsAll.set(n, merged)
    console.log(
      `${n} robots: bound ${fmt(bound.bound_s)} s = max(longest trip ${fmt(bound.trip_s)} s to ${bound.tripRoom}, work ${fmt(bound.workTotal_s)} s / ${n} = ${fmt(bound.work_s)} s); per-meal form of the issue (each meal its own kitchen round trip): ${fmt(bound.perMeal_s)} s; runs: ${runs.map((r) => (r.ok ? fmt(r.total_s) : 'FAILED')).join(', ')} sim s; longest single wait for a lane per run: ${runs.map((r) => (r.longestWait.s > 0 ? `${r.longestWait.robot} at ${r.longestWait.node} ${fmt(r.longestWait.s)} s` : '-')).join(', ')}`,
    )
  }
  console.log('\ndelivery round (total = request -> mission completed, every robot back on its dock; sim seconds)')
  console.log(table(rows))
  console.log('\nwhere the robots\' time went (share of robot-seconds from the request to the end, medians)')
  console.log(table(split))
  const kinds = [...new Set([...topicsAll.values()].flatMap((m) => [...m.keys()]))].sort()
  console.log('\nmessages on the fleet\'s connection per round, by topic (mean of the runs)')
  console.log(table([['topic', ...FLEETS.map((n) => `${n} robots`)], ...kinds.map((k) => [k, ...FLEETS.map((n) => fmt(topicsAll.get(n)?.get(k) ?? 0))])]))
  if (problems.length > 0) console.log(`\nproblems:\n${problems.map((p) => `- ${p}`).join('\n')}`)
  console.log(`\n(bench took ${fmt((performance.now() - t00) / 1000)} s)`)
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
