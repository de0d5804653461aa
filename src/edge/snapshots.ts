/**
 * JPEG evidence behind sightings. Encoding costs a few milliseconds (sharp), so the edge encodes only
 * when something is worth showing: a track's first sighting, and frames that a monitor or console asked
 * for. The last JPEGs are kept (bounded) and served by id.
 *
 * Each JPEG must fit one MQTT message once base64-encoded: the broker refuses a payload over its
 * `maxPayload_bytes` (256 KiB by default), and a busy 1080p frame at quality 80 is larger than that.
 * Evidence that never arrives is worse than softer evidence, so an oversized frame is encoded again at
 * a lower quality, then at a smaller size, until it fits.
 */
import sharp from 'sharp'
import { SNAPSHOT_MAX_BASE64 } from '../contract/venue/snapshots.js'
import type { Frame } from './types.js'

/** Room left in a snapshot message for everything but the JPEG (envelope, ids, times), bytes. */
const MESSAGE_OVERHEAD = 2048
/** Qualities tried, then the smallest again at each smaller scale. */
const QUALITIES = [80, 65, 50]
const SCALES = [1, 0.75, 0.5, 0.35, 0.25]

/** The largest JPEG whose snapshot message fits `maxPayload_bytes` and the contract's limit, bytes. */
export function jpegBudget(maxPayload_bytes: number): number {
  return Math.floor((Math.min(SNAPSHOT_MAX_BASE64, maxPayload_bytes - MESSAGE_OVERHEAD) * 3) / 4)
}

export interface StoredSnapshot {
  id: string
  camera: string
  capturedAt: number
  width: number
  height: number
  jpeg: Buffer
}

export class SnapshotCache {
  private readonly byId = new Map<string, StoredSnapshot>()

  /** @param maxJpeg_bytes the largest JPEG kept (see jpegBudget) */
  constructor(private readonly capacity = 200, private readonly maxJpeg_bytes = jpegBudget(262_144)) {}

  async capture(camera: string, frame: Frame): Promise<StoredSnapshot> {
    const { jpeg, width, height } = await this.encode(frame)
    const snap = { id: `${camera}:${frame.capturedAt}`, camera, capturedAt: frame.capturedAt, width, height, jpeg }
    this.byId.set(snap.id, snap)
    while (this.byId.size > this.capacity) {
      const oldest = this.byId.keys().next().value
      if (oldest === undefined) break
      this.byId.delete(oldest)
    }
    return snap
  }

  get(id: string): StoredSnapshot | undefined {
    return this.byId.get(id)
  }

  /** The frame as a JPEG within the budget: full size at the best quality that fits, else smaller. */
  private async encode(frame: Frame): Promise<{ jpeg: Buffer; width: number; height: number }> {
    const raw = { raw: { width: frame.width, height: frame.height, channels: 3 as const } }
    let last: { jpeg: Buffer; width: number; height: number } | undefined
    for (const scale of SCALES) {
      const width = Math.max(16, Math.round(frame.width * scale))
      const height = Math.max(16, Math.round(frame.height * scale))
      for (const quality of scale === 1 ? QUALITIES : QUALITIES.slice(-1)) {
        const img = sharp(frame.data, raw)
        const jpeg = await (scale === 1 ? img : img.resize(width, height)).jpeg({ quality }).toBuffer()
        last = { jpeg, width, height }
        if (jpeg.length <= this.maxJpeg_bytes) return last
      }
    }
    if (last === undefined) throw new Error('no JPEG encoded')
    throw new Error(`snapshot of ${frame.width}x${frame.height} does not fit ${this.maxJpeg_bytes} bytes even at ${last.width}x${last.height}: raise broker.maxPayload_bytes`)
  }
}
