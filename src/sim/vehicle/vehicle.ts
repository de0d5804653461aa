// A simulated VDA 5050 2.0 vehicle (the AGV side) speaking over MQTT through the contract's Bus, so
// the fleet manager can be tested against it over a real broker and the simulator can drive many.
// Behaviour lives in model.ts (no I/O); this file adds the connection (6.14), factsheet (6.15), the
// periodic and event-driven state (6.10), visualization (6.13), the motion loop and faults on demand.
import { Bus, willFor, type PayloadInput, type TopicKey, type TopicParams } from '../../contract/index.js'
import { vdaHeader, type Header, type State } from '../../contract/vda5050/index.js'
import { factsheet } from './factsheet.js'
import { VehicleModel } from './model.js'
import { stateOf, visualizationOf } from './payloads.js'
import { resolveOptions, type Resolved, type SimVehicleOptions } from './options.js'

type Outgoing = Extract<TopicKey, 'vdaState' | 'vdaVisualization' | 'vdaConnection' | 'vdaFactsheet'>

export class SimVehicle {
  readonly robot: string
  readonly manufacturer: string
  readonly serialNumber: string
  private readonly o: Resolved
  private readonly model: VehicleModel
  private bus: Bus | undefined
  private timers: NodeJS.Timeout[] = []
  /** headerId is per topic and counts sent messages (6.4). */
  private readonly headerIds: Record<Outgoing, number> = { vdaState: 0, vdaVisualization: 0, vdaConnection: 0, vdaFactsheet: 0 }
  private stateQueued = false
  private lastTick = 0
  private running = false

  /** Checks the options against the venue; no I/O until `start()`. */
  constructor(opts: SimVehicleOptions) {
    this.o = resolveOptions(opts)
    this.robot = this.o.robot
    this.manufacturer = this.o.manufacturer
    this.serialNumber = this.o.serialNumber
    this.model = new VehicleModel(
      this.o,
      () => this.queueState(),
      () => this.publishFactsheet(),
    )
  }

  private get params(): { interface: string; manufacturer: string; serialNumber: string } {
    return { interface: this.o.iface, manufacturer: this.manufacturer, serialNumber: this.serialNumber }
  }

  private header(key: Outgoing): Header {
    return vdaHeader(this.manufacturer, this.serialNumber, this.headerIds[key]++)
  }

  /** Connect (last will CONNECTIONBROKEN), announce ONLINE, the factsheet and a state, start the loops. */
  async start(): Promise<void> {
    if (this.running) throw new Error('SimVehicle already started')
    this.running = true
    try {
      await this.connect()
    } catch (err) {
      this.running = false
      throw err
    }
    this.lastTick = performance.now()
    this.timers.push(setInterval(() => this.tick(), this.o.tick_ms))
    this.timers.push(setInterval(() => this.publishState(), this.o.statePeriod_ms))
    this.timers.push(setInterval(() => this.publishVisualization(), this.o.visualizationPeriod_ms))
  }

  /** 6.14 "AGV wants to disconnect gracefully": OFFLINE (retained), then an MQTT DISCONNECT, so no will. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    for (const t of this.timers.splice(0)) clearInterval(t)
    const bus = this.bus
    this.bus = undefined
    if (bus === undefined) return
    if (bus.connected) {
      await bus.publish('vdaConnection', this.params, { ...this.header('vdaConnection'), connectionState: 'OFFLINE' }).catch(this.o.onError)
    }
    await bus.stop()
  }

  get connected(): boolean {
    return this.bus?.connected ?? false
  }

  /** The state as it would be published now (for the simulator and tests). */
  state(): State {
    return stateOf(this.model, this.o, vdaHeader(this.manufacturer, this.serialNumber, this.headerIds.vdaState))
  }

  /**
   * The recipient pressed the button: the running waitForTrigger `actionId` ends FINISHED with
   * `result` (e.g. who confirmed) as its resultDescription. False when no such action is waiting.
   */
  /** The waitForTrigger actions running now, with their parameters (purpose, room, ...). */
  awaitingTrigger(): Array<{ actionId: string; parameters: Record<string, unknown> }> {
    return this.model.actions.awaitingTrigger()
  }

  trigger(actionId: string, result?: string): boolean {
    return this.model.trigger(actionId, result)
  }

  // ---- faults on demand ------------------------------------------------------------------------

  /**
   * Drop the connection abruptly (no DISCONNECT): the broker publishes the last will CONNECTIONBROKEN
   * (6.14). The vehicle itself goes on with its base, as 6.2 asks, silently; `revive()` reconnects.
   */
  kill(): void {
    const bus = this.bus
    this.bus = undefined
    bus?.raw.end(true)
  }

  /** Reconnect after `kill()`: a new will, then ONLINE, factsheet and state again. */
  async revive(): Promise<void> {
    if (!this.running) throw new Error('SimVehicle not started')
    if (this.bus === undefined) await this.connect()
  }

  /** Keep reporting driving: true but make no progress (a wheel stuck, an obstacle it cannot pass). */
  stick(): void {
    this.model.stuck = true
    this.queueState()
  }

  /** A FATAL error (6.10.5): the vehicle stops until `clearFaults()`. */
  fatal(description: string): void {
    this.model.raiseFatal(description)
  }

  /** Undo stick() and fatal(); an empty-battery error stays until the battery has charge. */
  clearFaults(): void {
    this.model.clearFaults()
  }

  /** Set the state of charge, % (to stage low-battery scenarios). */
  setBattery(pct: number): void {
    this.model.setBattery(pct)
  }

  // ---- MQTT --------------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    // 6.14 "AGV comes online": the will is set with the connection, then ONLINE is sent
    const will = willFor('vdaConnection', this.params, { ...this.header('vdaConnection'), connectionState: 'CONNECTIONBROKEN' })
    const bus = new Bus({
      url: this.o.url,
      username: this.o.username,
      password: this.o.password,
      clientId: this.o.clientId,
      will,
      reconnectPeriod_ms: this.o.reconnectPeriod_ms,
      onInvalid: (topic, error) => this.model.invalidMessage(topic, error),
      onHandlerError: (_topic, err) => this.o.onError(err),
    })
    await bus.subscribe('vdaOrder', this.params, (order) => this.model.handleOrder(order))
    await bus.subscribe('vdaInstantActions', this.params, (msg) => this.model.handleInstant(msg))
    await bus.start()
    if (!this.running) {
      await bus.stop()
      return
    }
    this.bus = bus
    // after a broker outage the will may have been published: say ONLINE again on every reconnect
    bus.raw.on('connect', () => {
      if (this.bus === bus) this.announce()
    })
    this.announce()
  }

  private announce(): void {
    this.send('vdaConnection', (h) => ({ ...h, connectionState: 'ONLINE' as const }))
    this.publishFactsheet()
    this.publishState()
  }

  private send<K extends Outgoing>(key: K, build: (h: Header) => PayloadInput<K>): void {
    const bus = this.bus
    if (bus === undefined || !bus.connected) return
    let payload: PayloadInput<K>
    try {
      payload = build(this.header(key))
    } catch (err) {
      this.o.onError(err)
      return
    }
    bus.publish(key, this.params as TopicParams<K>, payload).catch(this.o.onError)
  }

  /** 6.15: retained, on start and on factsheetRequest. */
  private publishFactsheet(): void {
    this.send('vdaFactsheet', (h) => factsheet(this.o, h))
  }

  private publishState(): void {
    this.send('vdaState', (h) => stateOf(this.model, this.o, h))
  }

  private publishVisualization(): void {
    this.send('vdaVisualization', (h) => visualizationOf(this.model, this.o, h))
  }

  /** 6.10: one state for events that come together (curb the communication). */
  private queueState(): void {
    if (this.stateQueued || !this.running) return
    this.stateQueued = true
    setImmediate(() => {
      this.stateQueued = false
      if (this.running) this.publishState()
    })
  }

  private tick(): void {
    const now = performance.now()
    // a stalled event loop does not make the vehicle jump more than one wall second ahead
    const dt = Math.min((now - this.lastTick) / 1000, 1) * this.o.speed
    this.lastTick = now
    try {
      this.model.step(dt)
    } catch (err) {
      this.o.onError(err)
    }
  }
}
