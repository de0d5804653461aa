/**
 * JPEG evidence behind sightings. Encoding costs a few milliseconds (sharp), so the edge encodes only
 * when something is worth showing: a track's first sighting, and frames that a monitor or console asked
 * for. The last JPEGs are kept (bounded) and served by id.
 */
import sharp from 'sharp'
import type { Frame } from './types.js'

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

  constructor(private readonly capacity = 200, private readonly quality = 80) {}

  async capture(camera: string, frame: Frame): Promise<StoredSnapshot> {
    const jpeg = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).jpeg({ quality: this.quality }).toBuffer()
    const snap = { id: `${camera}:${frame.capturedAt}`, camera, capturedAt: frame.capturedAt, width: frame.width, height: frame.height, jpeg }
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
}
