import type { WebSocket } from 'ws'
import type { Logger } from '../../shared/log.js'
import type { LiveOutput } from './formats.js'
import { CameraRelay } from './relay.js'

/** The live views of all cameras: one relay (one ffmpeg) per camera that someone is watching. */
export class LiveHub {
  private readonly relays = new Map<string, CameraRelay>()

  constructor(
    private readonly out: () => LiveOutput,
    private readonly logger: Logger,
    private readonly ffmpeg = 'ffmpeg',
  ) {}

  /** Start sending `camera`'s video to `ws` until it closes. */
  watch(camera: string, rtspUrl: string, ws: WebSocket): void {
    let relay = this.relays.get(camera)
    if (relay === undefined) {
      relay = new CameraRelay(camera, rtspUrl, this.out(), this.logger, this.ffmpeg)
      this.relays.set(camera, relay)
    }
    const r = relay
    r.add(ws)
    ws.once('close', () => {
      if (r.remove(ws) && this.relays.get(camera) === r) this.relays.delete(camera)
    })
  }

  /** Cameras being watched and by how many, for logs and tests. */
  viewers(): Record<string, number> {
    return Object.fromEntries([...this.relays].map(([c, r]) => [c, r.viewerCount]))
  }

  stop(): void {
    for (const r of this.relays.values()) r.stop()
    this.relays.clear()
  }
}
