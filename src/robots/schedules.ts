/**
 * Scheduled missions (venue file `fleet.schedules`): a patrol round, meals at lunchtime, guard duty
 * from the morning. Times are site-local HH:MM, every day; "start" fires when the fleet starts. The
 * request id names the schedule, the day and the time, so a repeated or restarted fleet asks once.
 */
import type { Schedule } from '../config/schema/fleet.js'
import { stamp } from '../contract/envelope.js'
import type { MissionRequest } from '../contract/venue/missions.js'
import { localDate, localParts } from '../shared/time.js'

/** Requests due between `from` (exclusive) and `to` (inclusive), epoch ms; `starting` adds the "start" ones. */
export function dueRequests(schedules: readonly Schedule[], timeZone: string, from: number, to: number, starting: boolean): Extract<MissionRequest, { action: 'start' }>[] {
  const out: Extract<MissionRequest, { action: 'start' }>[] = []
  const request = (s: Schedule, tag: string, at: number): void => {
    out.push({
      ...stamp(new Date(at)),
      action: 'start',
      requestId: `sched-${s.id}-${tag}`.slice(0, 64),
      kind: s.kind,
      ...(s.robot === undefined ? {} : { robot: s.robot }),
      nodes: [...s.nodes],
      rooms: [...s.rooms],
      loop: s.loop,
      snapshotAt: [...s.snapshotAt],
      requestedBy: `schedule:${s.id}`,
    })
  }
  for (const s of schedules) {
    if (starting && s.at.includes('start')) request(s, `start-${to.toString(36)}`, to)
    // every minute boundary in (from, to]: at most a day's worth is looked at
    const first = Math.floor(from / 60_000) * 60_000 + 60_000
    for (let t = Math.max(first, to - 86_400_000); t <= to; t += 60_000) {
      const p = localParts(t, timeZone)
      const hhmm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
      if (s.at.includes(hhmm)) request(s, `${localDate(t, timeZone)}-${hhmm.replace(':', '')}`, t)
    }
  }
  return out
}
