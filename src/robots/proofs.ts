/**
 * Proof of delivery: who took a meal at which room's hatch, when, and the snapshots of the hand-over.
 * Each is an event in the fleet's store (kind `delivery.proof`) and an entry in the audit log; read
 * back, the stored detail is parsed like any outside input.
 */
import { z } from 'zod'
import type { EventStore } from '../store/index.js'

export const PROOF_EVENT = 'delivery.proof'

export const ProofRecord = z.strictObject({
  mission: z.string(),
  room: z.string(),
  robot: z.string(),
  /** The recipient's pseudonym from the hatch button, or 'unconfirmed' / 'unattended'. */
  confirmedBy: z.string(),
  at: z.string(),
  snapshots: z.array(z.string()),
})
export type ProofRecord = z.infer<typeof ProofRecord>

/** The latest `limit` proofs, oldest first; a stored detail that is not a proof is skipped (and counted). */
export function readProofs(events: EventStore, limit = 1000): { proofs: ProofRecord[]; unreadable: number } {
  const proofs: ProofRecord[] = []
  let unreadable = 0
  const latest = events.list({ kind: PROOF_EVENT, limit, newestFirst: true })
  for (const e of latest.reverse()) {
    const p = ProofRecord.safeParse(e.detail)
    if (p.success) proofs.push(p.data)
    else unreadable++
  }
  return { proofs, unreadable }
}
