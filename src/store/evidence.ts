import { createHash } from 'node:crypto'
import type { Db } from './db.js'
import { toMs, type When } from './events.js'

export interface EvidenceInput {
  alertId: string
  /** What the alert's evidence list names, e.g. the edge's snapshot id "cam-a:1234". */
  ref: string
  camera: string
  capturedAt: When
  jpeg: Buffer
}

export interface EvidenceRecord {
  alertId: string
  ref: string
  camera: string
  /** Epoch ms. */
  capturedAt: number
  sha256: string
  jpeg: Buffer
}

interface Row {
  alert_id: string
  ref: string
  camera: string
  captured_at: number
  sha256: string
  jpeg: Buffer
}

/**
 * Snapshots behind alerts (table `evidence`), write-once. The sha256 is returned so the caller can
 * put it in the hash-chained audit log: an image swapped later no longer matches its entry.
 */
export class EvidenceStore {
  private readonly insert: (r: Row) => number
  private readonly byAlert: (alertId: string) => Row[]

  constructor(db: Db) {
    const ins = db.prepare<Row>('INSERT OR IGNORE INTO evidence (alert_id, ref, camera, captured_at, sha256, jpeg) VALUES (@alert_id, @ref, @camera, @captured_at, @sha256, @jpeg)')
    this.insert = (r) => ins.run(r).changes
    const sel = db.prepare<[string], Row>('SELECT * FROM evidence WHERE alert_id = ? ORDER BY captured_at, ref')
    this.byAlert = (id) => sel.all(id)
  }

  /** Store one snapshot; returns its record, or undefined when (alertId, ref) is already stored. */
  add(e: EvidenceInput): EvidenceRecord | undefined {
    const sha256 = createHash('sha256').update(e.jpeg).digest('hex')
    const row: Row = { alert_id: e.alertId, ref: e.ref, camera: e.camera, captured_at: toMs(e.capturedAt), sha256, jpeg: e.jpeg }
    if (this.insert(row) === 0) return undefined
    return fromRow(row)
  }

  forAlert(alertId: string): EvidenceRecord[] {
    return this.byAlert(alertId).map(fromRow)
  }
}

const fromRow = (r: Row): EvidenceRecord => ({ alertId: r.alert_id, ref: r.ref, camera: r.camera, capturedAt: r.captured_at, sha256: r.sha256, jpeg: r.jpeg })
