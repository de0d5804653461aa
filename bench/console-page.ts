/**
 * `npm run bench:console-page`: the console page's frame rate with 300 people and 10 robots moving,
 * in headless Chromium (Debian's chromium, software rendering: --disable-gpu), measured with
 * requestAnimationFrame over BENCH_SECONDS (10) after a warm-up. Figures only: a benchmark never
 * asserts.
 *
 * The page runs against the stand-in console (test/helpers/fake-console.ts): the same contract and
 * CSP as the real server, with people walking and robots driving, tracks at 5 Hz and robot status
 * at 2.5 Hz each. It measures the page, not the venue. Rows: the machine as it is, then Chromium's
 * CPU throttling (4x: DevTools' "low-end device"; on a shared machine those rows are rough). "draw" is the map's own work per frame
 * (script plus canvas calls); frame intervals include everything else the page does (alert feed,
 * panels, WebSocket parsing, uPlot).
 * Knobs: BENCH_PEOPLE=300, BENCH_ROBOTS=10, BENCH_SECONDS=10, BENCH_THROTTLE=1,4.
 */
import { launchChromium, logIn, pageUntil } from '../test/helpers/browser.js'
import { startFakeConsole } from '../test/helpers/fake-console.js'
import { fmt, median, quantile, table } from './stats.js'

const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 300)
const ROBOTS = Number(process.env['BENCH_ROBOTS'] ?? 10)
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10)
const THROTTLES = (process.env['BENCH_THROTTLE'] ?? '1,4').split(',').map(Number)

/** rAF timestamps for `seconds`, collected in the page (a string: this file has no DOM types). */
const collect = (seconds: number): string => `new Promise((resolve) => {
  const t = []
  const f = (x) => { t.push(x); if (x - t[0] < ${seconds * 1000}) requestAnimationFrame(f); else resolve(t) }
  requestAnimationFrame(f)
})`

const fake = await startFakeConsole({ people: PEOPLE, robots: ROBOTS })
const browser = await launchChromium({ width: 1600, height: 1000 })
try {
  const { page } = browser
  await logIn(page, fake.url, 'operator', 'dev-operator')
  await pageUntil(page, `window.sentinel?.people().length === ${PEOPLE} && window.sentinel?.robots().length === ${ROBOTS}`, 15_000)
  fake.raise({ id: 'bench-alert' })
  await page.click('li.alert[data-alert-id="bench-alert"]')
  const cdp = await browser.context.newCDPSession(page)
  const rows: string[][] = [['CPU', 'frames', 'fps (median interval)', 'fps (mean)', 'p95 interval ms', 'frames > 20 ms', 'draw median ms', 'draw p95 ms']]
  for (const rate of THROTTLES) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate })
    await new Promise((r) => setTimeout(r, 2000))
    const stamps = (await page.evaluate(collect(SECONDS))) as number[]
    const intervals = stamps.slice(1).map((t, i) => t - (stamps[i] ?? t))
    const draw = (await page.evaluate('window.sentinel.drawTimes()')) as { median: number; p95: number }
    const span = (stamps[stamps.length - 1] ?? 0) - (stamps[0] ?? 0)
    rows.push([
      rate === 1 ? 'as is' : `${rate}x slower`,
      String(intervals.length),
      fmt(1000 / median(intervals), 1),
      fmt((intervals.length * 1000) / span, 1),
      fmt(quantile(intervals, 0.95), 1),
      String(intervals.filter((i) => i > 20).length),
      fmt(draw.median, 2),
      fmt(draw.p95, 2),
    ])
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
  await browser.screenshot('bench-300-people')
  console.log(`console page, ${PEOPLE} people and ${ROBOTS} robots moving, ${SECONDS} s per row, headless Chromium (software rendering), viewport 1600x1000`)
  console.log(table(rows))
} finally {
  await browser.close()
  await fake.stop()
}
