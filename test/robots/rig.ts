/**
 * A running fleet on a real broker with simulated VDA 5050 vehicles, a console client that sends
 * mission requests and collects mission state and robot status, and people who press the buttons:
 * kitchen staff confirm loading, recipients confirm at each hatch.
 */
import sharp from 'sharp'
import { Bus } from '../../src/contract/bus.js'
import { stamp } from '../../src/contract/envelope.js'
import type { MissionRequest, MissionState, RobotStatus } from '../../src/contract/venue/missions.js'
import type { Venue } from '../../src/config/index.js'
import { Fleet, type FleetOptions } from '../../src/robots/fleet.js'
import { silentLogger } from '../../src/shared/log.js'
import { SimVehicle, type SimVehicleOptions } from '../../src/sim/vehicle/index.js'
import { sleep, startBroker, type RunningBroker } from '../helpers/mqtt.js'
import { password, SITE } from '../helpers/venue.js'

let seq = 0

export class FleetRig {
  readonly missions = new Map<string, MissionState[]>()
  readonly status = new Map<string, RobotStatus[]>()
  readonly vehicles = new Map<string, SimVehicle>()
  fleet!: Fleet
  private console_!: Bus
  private presser: NodeJS.Timeout | undefined
  private readonly edges: Bus[] = []
  /** Who presses the button at a hatch, by room (the recipient); the kitchen answers "kitchen". */
  confirmBy = (room: string | undefined): string => (room === undefined ? 'kitchen' : `sub-${room.replace(/[^a-z0-9]/g, '')}x`)

  private constructor(
    readonly venue: Venue,
    readonly broker: RunningBroker,
  ) {}

  static async start(venue: Venue, vehicles: Array<{ robot: string; startNode: string } & Partial<SimVehicleOptions>>, o: { autoConfirm?: boolean; linkFor?: FleetOptions['linkFor'] } = {}): Promise<FleetRig> {
    const rig = new FleetRig(venue, await startBroker(venue))
    const url = rig.broker.tcpUrl
    rig.console_ = new Bus({ url, username: 'console', password: password('console'), clientId: `console-fleet-rig-${++seq}` })
    await rig.console_.subscribe('missionState', { site: SITE }, (m) => {
      const list = rig.missions.get(m.missionId) ?? []
      list.push(m)
      rig.missions.set(m.missionId, list)
    })
    await rig.console_.subscribe('robotStatus', { site: SITE }, (s) => {
      const list = rig.status.get(s.robot) ?? []
      list.push(s)
      rig.status.set(s.robot, list)
    })
    await rig.console_.start()
    // the edge nodes answer snapshot requests with a small JPEG of their camera
    const jpeg = (await sharp({ create: { width: 16, height: 12, channels: 3, background: { r: 40, g: 80, b: 120 } } }).jpeg().toBuffer()).toString('base64')
    for (const node of ['edge-1', 'edge-2']) {
      const edge = new Bus({ url, username: node, password: password(node), clientId: `${node}-fleet-rig-${++seq}` })
      await edge.start()
      rig.edges.push(edge)
      for (const cam of venue.cameras.filter((c) => c.edgeNode === node)) {
        await edge.subscribe('snapshotRequest', { site: SITE, camera: cam.id }, (req) => {
          void edge.publish('snapshot', { site: SITE, camera: cam.id }, { ...stamp(), requestId: req.requestId, snapshot: `${cam.id}:${++seq}`, camera: cam.id, capturedAt: new Date().toISOString(), width_px: 16, height_px: 12, jpeg })
        })
      }
    }
    for (const v of vehicles) {
      const sim = new SimVehicle({ venue, url, username: `robot-${v.robot}`, password: password(`robot-${v.robot}`), speed_mps: 8, speed: 4, statePeriod_ms: 200, ...v })
      await sim.start()
      rig.vehicles.set(v.robot, sim)
    }
    rig.fleet = new Fleet({ venue, url, username: 'fleet', password: password('fleet'), dbFile: ':memory:', logger: silentLogger(), tick_ms: 100, ...(o.linkFor ? { linkFor: o.linkFor } : {}) })
    await rig.fleet.start()
    if (o.autoConfirm !== false) rig.presser = setInterval(() => rig.pressButtons(), 50)
    return rig
  }

  /** Press every waiting hand-over button (kitchen loading, recipient at a hatch). */
  pressButtons(): void {
    for (const v of this.vehicles.values()) {
      for (const a of v.state().actionStates) {
        if (a.actionType !== 'waitForTrigger' || (a.actionStatus !== 'RUNNING' && a.actionStatus !== 'WAITING')) continue
        const room = /^hatch-(.+)-[a-z0-9]+-[a-z0-9]+$/.exec(a.actionId)?.[1]
        v.trigger(a.actionId, this.confirmBy(room))
      }
    }
  }

  vehicle(robot: string): SimVehicle {
    const v = this.vehicles.get(robot)
    if (v === undefined) throw new Error(`no vehicle ${robot}`)
    return v
  }

  async request(r: { kind: Extract<MissionRequest, { action: 'start' }>['kind']; robot?: string; nodes?: string[]; rooms?: string[]; loop?: boolean; snapshotAt?: string[]; alertId?: string }): Promise<string> {
    const requestId = `rq-${++seq}`
    await this.console_.publish('missionRequest', { site: SITE }, { ...stamp(), action: 'start', requestId, requestedBy: 'operator-1', ...r })
    return requestId
  }

  async cancel(missionId: string): Promise<void> {
    await this.console_.publish('missionRequest', { site: SITE }, { ...stamp(), action: 'cancel', requestId: `rq-${++seq}`, missionId, requestedBy: 'operator-1' })
  }

  /** The latest state of the mission a request started. */
  mission(requestId: string): MissionState | undefined {
    for (const list of this.missions.values()) {
      const last = list.at(-1)
      if (last?.requestId === requestId) return last
    }
    return undefined
  }

  async waitMission(requestId: string, pred: (m: MissionState) => boolean, timeout_ms = 20_000): Promise<MissionState> {
    const deadline = Date.now() + timeout_ms
    for (;;) {
      const m = this.mission(requestId)
      if (m !== undefined && pred(m)) return m
      if (Date.now() > deadline) throw new Error(`mission of ${requestId}: waited ${timeout_ms} ms; last ${JSON.stringify(m)}`)
      await sleep(50)
    }
  }

  async waitStatus(robot: string, pred: (s: RobotStatus) => boolean, timeout_ms = 20_000): Promise<RobotStatus> {
    const deadline = Date.now() + timeout_ms
    for (;;) {
      const s = this.status.get(robot)?.find(pred)
      if (s !== undefined) return s
      if (Date.now() > deadline) throw new Error(`robot ${robot}: no matching status in ${timeout_ms} ms; last ${JSON.stringify(this.status.get(robot)?.at(-1))}`)
      await sleep(50)
    }
  }

  async stop(): Promise<void> {
    if (this.presser) clearInterval(this.presser)
    await this.fleet.stop()
    for (const v of this.vehicles.values()) await v.stop()
    await this.console_.stop()
    for (const e of this.edges) await e.stop()
    await this.broker.broker.stop()
  }
}
