/**
 * A scenario's score: for each expected alert, whether an alert of its rule (with its subjects, zone,
 * robots and cameras) opened inside its window, and how long after the window began; every alert no
 * expectation accounts for is a false alert. Recall is per rule and overall.
 */
import type { Alert } from '../contract/venue/alerts.js'
import type { Expectation, Scenario } from './scenario.js'

export interface ExpectationResult {
  expect: Expectation
  /** The alert that met it, if any. */
  alertId: string | null
  /** Seconds from the window's start to the alert's first time. */
  delay_s: number | null
}

export interface Score {
  scenario: string
  expected: number
  found: number
  recall: number
  falseAlerts: Array<Pick<Alert, 'id' | 'rule' | 'subjects' | 'zone' | 'firstAt' | 'title'>>
  perRule: Record<string, { expected: number; found: number; recall: number; delays_s: number[] }>
  results: ExpectationResult[]
}

const includesAll = (have: readonly string[], want: readonly string[] | undefined): boolean => (want ?? []).every((w) => have.includes(w))

/** An alert meets an expectation when its rule, subjects, zone, robots and cameras match and its situation began inside the window. */
function meets(a: Alert, e: Expectation, start_ms: number): boolean {
  const began = (Date.parse(a.firstAt) - start_ms) / 1000
  return (
    a.rule === e.rule &&
    began >= e.from_s &&
    began <= e.to_s &&
    includesAll(a.subjects, e.subjects) &&
    (e.zone === undefined || a.zone === e.zone) &&
    includesAll(a.robots, e.robots) &&
    includesAll(a.cameras, e.cameras)
  )
}

/** Score the distinct alerts (latest copy of each) a scenario run produced. */
export function score(scenario: Scenario, start_ms: number, alerts: readonly Alert[]): Score {
  const used = new Set<string>()
  // required expectations take their alerts first; optional ones only absorb what is left
  const order = [...scenario.expect].sort((a, b) => Number(a.optional) - Number(b.optional))
  const byExpect = new Map<Expectation, ExpectationResult>()
  for (const e of order) {
    const hits = alerts.filter((a) => !used.has(a.id) && meets(a, e, start_ms)).sort((x, y) => Date.parse(x.firstAt) - Date.parse(y.firstAt))
    const hit = hits[0]
    if (hit === undefined) {
      byExpect.set(e, { expect: e, alertId: null, delay_s: null })
      continue
    }
    for (const a of e.repeat ? hits : [hit]) used.add(a.id)
    byExpect.set(e, { expect: e, alertId: hit.id, delay_s: Math.max(0, (Date.parse(hit.firstAt) - start_ms) / 1000 - e.from_s) })
  }
  const results = scenario.expect.map((e) => byExpect.get(e)!).filter((r) => !r.expect.optional)
  const perRule: Score['perRule'] = {}
  for (const r of results) {
    const p = (perRule[r.expect.rule] ??= { expected: 0, found: 0, recall: 0, delays_s: [] })
    p.expected++
    if (r.alertId !== null) {
      p.found++
      if (r.delay_s !== null) p.delays_s.push(r.delay_s)
    }
  }
  for (const p of Object.values(perRule)) p.recall = p.expected === 0 ? 1 : p.found / p.expected
  const found = results.filter((r) => r.alertId !== null).length
  const falseAlerts = alerts.filter((a) => !used.has(a.id)).map((a) => ({ id: a.id, rule: a.rule, subjects: a.subjects, zone: a.zone, firstAt: a.firstAt, title: a.title }))
  return { scenario: scenario.name, expected: results.length, found, recall: results.length === 0 ? 1 : found / results.length, falseAlerts, perRule, results }
}
