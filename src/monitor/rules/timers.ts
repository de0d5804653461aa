import type { RuleKind } from '../../config/schema/rules.js'
import type { PersonTrack } from '../../contract/venue/tracks.js'
import type { Finding, RuleInstance, RuleOf } from './types.js'

/** Dwell timers keyed by situation: fire once when a condition has held for `threshold_ms`. */
export class DwellTimers<T> {
  private readonly since = new Map<string, { start: number; fired: boolean; data: T }>()

  constructor(private readonly threshold_ms: number) {}

  /**
   * Report the situations that hold now (key -> data); every other key is cleared. Returns the data of
   * situations that reached the threshold now, each once per continuous run.
   */
  update(present: Map<string, T>, now: number, startOf?: (key: string, data: T) => number): T[] {
    for (const key of [...this.since.keys()]) if (!present.has(key)) this.since.delete(key)
    const due: T[] = []
    for (const [key, data] of present) {
      let s = this.since.get(key)
      if (!s) {
        s = { start: startOf ? startOf(key, data) : now, fired: false, data }
        this.since.set(key, s)
      }
      s.data = data
      if (!s.fired && now - s.start >= this.threshold_ms) {
        s.fired = true
        due.push(data)
      }
    }
    return due
  }

  /** Check timers without new input. */
  tick(now: number): T[] {
    const due: T[] = []
    for (const s of this.since.values()) {
      if (!s.fired && now - s.start >= this.threshold_ms) {
        s.fired = true
        due.push(s.data)
      }
    }
    return due
  }

  set(key: string, data: T, start: number): void {
    const s = this.since.get(key)
    if (!s || s.start !== start) this.since.set(key, { start, fired: false, data })
    else s.data = data
  }

  delete(key: string): void {
    this.since.delete(key)
  }
}

/**
 * The common shape of a dwell rule over venue tracks: `situation` names the situation a track is in
 * (or undefined when it is fine), and each situation that has held for `dwell_s` gives one finding.
 */
export function trackDwellRule<K extends RuleKind>(
  config: Pick<RuleOf<K>, 'id' | 'kind'>,
  dwell_s: number,
  situation: (t: PersonTrack) => string | undefined,
  finding: (t: PersonTrack, now: number) => Finding,
): RuleInstance {
  const timers = new DwellTimers<PersonTrack>(dwell_s * 1000)
  return {
    id: config.id,
    kind: config.kind,
    enabled: true,
    onTracks(tracks, now): Finding[] {
      const present = new Map<string, PersonTrack>()
      for (const t of tracks) {
        const key = situation(t)
        if (key !== undefined) present.set(key, t)
      }
      return timers.update(present, now).map((t) => finding(t, now))
    },
  }
}
