/**
 * Snapshots the fleet asks for: at chosen patrol waypoints and at every hand-over (proof of delivery),
 * from the venue cameras that see the stop's zone. Each JPEG that comes back is stored write-once with
 * its sha256, and the hash goes into the hash-chained audit log.
 */
import type { Venue } from '../config/schema/venue.js'
import { stamp } from '../contract/envelope.js'
import type { Snapshot, SnapshotRequest } from '../contract/venue/snapshots.js'
import type { AuditLog } from '../store/audit.js'
import type { Db } from '../store/db.js'
import { EvidenceStore, type EvidenceRecord } from '../store/evidence.js'
import type { Places } from './places.js'

/** Requests not answered in this long are forgotten, ms. */
const WAIT_MS = 60_000

type Send = (key: 'snapshotRequest', params: { site: string; camera: string }, payload: SnapshotRequest) => void

export class MissionSnapshots {
  private store: EvidenceStore | undefined
  private audit: AuditLog | undefined
  private readonly pending = new Map<string, { mission: string; node: string; room?: string | undefined; until: number }>()
  private seq = 0

  constructor(
    private readonly venue: Pick<Venue, 'site' | 'cameras'>,
    private readonly places: Places,
    private readonly send: Send,
    private readonly clock: () => number,
  ) {}

  open(db: Db, audit: AuditLog): void {
    this.store = new EvidenceStore(db)
    this.audit = audit
  }

  /** Ask every camera that sees `node`'s zone; returns the request ids. */
  request(mission: string, node: string, room?: string): string[] {
    const zone = this.places.zoneOf(node)
    if (zone === null) return []
    const now = this.clock()
    for (const [id, p] of this.pending) if (p.until < now) this.pending.delete(id)
    const ids: string[] = []
    for (const cam of this.venue.cameras.filter((c) => c.zones.includes(zone))) {
      const requestId = `fs-${now.toString(36)}-${(this.seq++).toString(36)}`
      this.pending.set(requestId, { mission, node, room, until: now + WAIT_MS })
      this.send('snapshotRequest', { site: this.venue.site.id, camera: cam.id }, { ...stamp(new Date(now)), requestId, camera: cam.id, requestedBy: 'fleet' })
      ids.push(requestId)
    }
    return ids
  }

  received(s: Snapshot): void {
    const p = s.requestId === null ? undefined : this.pending.get(s.requestId)
    if (p === undefined || s.requestId === null) return
    this.pending.delete(s.requestId)
    const rec = this.store?.add({ alertId: `mission:${p.mission}`, ref: s.snapshot, camera: s.camera, capturedAt: s.capturedAt, jpeg: Buffer.from(s.jpeg, 'base64') })
    if (rec === undefined) return
    this.audit?.append({
      actor: 'fleet',
      action: 'evidence.snapshot',
      subject: p.mission,
      detail: { requestId: s.requestId, ref: rec.ref, camera: rec.camera, node: p.node, ...(p.room === undefined ? {} : { room: p.room }), sha256: rec.sha256 },
    })
  }

  stored(mission: string): EvidenceRecord[] {
    return this.store?.forAlert(`mission:${mission}`) ?? []
  }
}
