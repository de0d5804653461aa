import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { launchChromium, logIn, pageUntil, type HeadlessChromium } from '../helpers/browser.js'
import { startFakeConsole, type FakeConsole } from '../helpers/fake-console.js'

/**
 * The page on its own, in headless Chromium, against a stand-in console server that speaks the
 * console's contract (test/helpers/fake-console.ts) with 300 people walking. What the page does
 * with each message is tested here; page-e2e.test.ts runs it against a real `venue up`.
 */

let fake: FakeConsole
let browser: HeadlessChromium

const probe = <T>(f: string): Promise<T> => browser.page.evaluate(f) as Promise<T>
const until = (expr: string, timeout_ms?: number): Promise<void> => pageUntil(browser.page, expr, timeout_ms)
const text = (selector: string): string => `(document.querySelector(${JSON.stringify(selector)})?.textContent ?? '')`
const attr = (selector: string, name: string): string => `document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)})`

test.before(async () => {
  fake = await startFakeConsole({ people: 300 })
  browser = await launchChromium()
})

test.after(async () => {
  await browser?.close()
  await fake?.stop()
})

test('a wrong password is refused on the form; the right one opens the console', async () => {
  const { page } = browser
  await page.goto(fake.url)
  await page.fill('#login-user', 'operator')
  await page.fill('#login-password', 'nope')
  await page.click('#login-form button[type=submit]')
  await until(`${text('#login-message')} === 'wrong user name or password'`)
  await logIn(page, fake.url, 'operator', 'dev-operator')
  assert.is(await page.textContent('#who'), 'operator (operator)')
})

test('the map draws 300 people that move between two samples, and the robots', async () => {
  const { page } = browser
  await until('window.sentinel?.people().length === 300')
  const a = await probe<{ id: string; x: number; y: number }[]>('window.sentinel.people()')
  await page.waitForTimeout(600)
  const b = await probe<{ id: string; x: number; y: number }[]>('window.sentinel.people()')
  const before = new Map(a.map((p) => [p.id, p]))
  const moved = b.filter((p) => {
    const q = before.get(p.id)
    return q !== undefined && Math.hypot(p.x - q.x, p.y - q.y) > 0.05
  }).length
  assert.ok(moved > 200, `only ${moved} of 300 people moved in 600 ms`)
  assert.is((await probe<unknown[]>('window.sentinel.robots()')).length, 5)
  assert.match((await page.textContent('#counts')) ?? '', /^300 people \(\d+ unknown\) · 5 robots$/)
  assert.is(await page.getAttribute('#conn', 'data-state'), 'live')
  // a click on a person names them (pseudonym, category, zone) under the map
  const box = await page.locator('#map').boundingBox()
  const one = ((await probe<{ x: number; y: number }[]>('window.sentinel.people()')))[0]
  assert.ok(box !== null && one !== undefined)
  const view = (await page.evaluate('window.sentinel.view()')) as { scale: number; offX: number; offY: number; height: number }
  await page.mouse.click(box.x + view.offX + one.x * view.scale, box.y + view.height - (view.offY + one.y * view.scale))
  await until(`/^(sub-fake\\d{4}|unknown) · /.test(${text('#map-info')})`)
  await browser.screenshot('page-map-300-people')
})

test('an alert appears at the top of the feed within 2 s, shows its snapshot and trajectory, and is acknowledged then resolved with a note', async () => {
  const { page } = browser
  fake.raise({ id: 'a-old', title: 'older alert', firstAt: new Date(Date.now() - 60_000).toISOString(), severity: 'low' })
  const sent = Date.now()
  const alert = fake.raise({ id: 'a-new' })
  const row = page.locator('li.alert[data-alert-id="a-new"]')
  await row.waitFor({ timeout: 2000 })
  const shownAt = Number(await row.getAttribute('data-shown-at'))
  assert.ok(shownAt - sent < 2000, `shown ${shownAt - sent} ms after it was raised`)
  assert.is(await page.getAttribute('#alert-list li.alert:first-child', 'data-alert-id'), 'a-new')
  assert.is(await row.locator('.sev').textContent(), String(alert['severity']))
  assert.match((await row.locator('.alert-place').textContent()) ?? '', /Evaluation room 5/)

  await row.click()
  await page.locator('#alert-detail .snapshots img').waitFor()
  await until(`(document.querySelector('#alert-detail .snapshots img')?.naturalWidth ?? 0) > 0`)
  await until('(window.sentinel?.trajectoryPoints() ?? 0) > 0')
  assert.is(await page.locator('#alert-detail .reveal-btn').count(), 0, 'an operator gets no reveal button')
  await browser.screenshot('page-alert-selected')

  await page.fill('#alert-note', 'seen on camera, host on the way')
  await page.click('#alert-detail button.ack')
  await until(`${attr('li.alert[data-alert-id="a-new"]', 'data-state')} === 'acknowledged'`)
  await page.click('#alert-detail button.resolve')
  await until(`${text('#alert-detail .detail-message')} === 'write a note to resolve'`)
  await page.fill('#alert-note', 'expert walked back to room 1')
  await page.click('#alert-detail button.resolve')
  await page.locator('li.alert[data-alert-id="a-new"]').waitFor({ state: 'detached' })
  await page.selectOption('#alert-filter', 'all')
  assert.is(await page.getAttribute('li.alert[data-alert-id="a-new"]', 'data-state'), 'resolved')
  await page.selectOption('#alert-filter', 'open')
})

test('a patrol started from the robot panel moves the robot on the map and shows as its mission; cancel stops it', async () => {
  const { page } = browser
  const start = (await probe<{ id: string; x: number; y: number }[]>('window.sentinel.robots()')).find((r) => r.id === 'pt-002')
  assert.ok(start !== undefined)
  await page.selectOption('#mission-kind', 'patrol')
  await page.selectOption('#mission-robot', 'pt-002')
  await page.selectOption('#mission-targets', ['n-dock-lane-a', 'n-dock-in', 'n-s5', 'n-s15'])
  await page.click('#mission-start')
  await until(`/patrol requested/.test(${text('#mission-message')})`)
  await until(`(() => { const r = window.sentinel?.robots().find((q) => q.id === 'pt-002'); return r !== undefined && Math.hypot(r.x - ${start.x}, r.y - ${start.y}) > 0.5 })()`)
  await until(`/patrol running/.test(${text('tr[data-robot="pt-002"] td.mission')})`)
  await browser.screenshot('page-patrol')
  await page.click('tr[data-robot="pt-002"] button.cancel')
  await until(`/patrol cancelled/.test(${text('tr[data-robot="pt-002"] td.mission')})`)
})

test('a lost connection shows as such, with the data ageing, and recovers by itself', async () => {
  const { page } = browser
  fake.refuseLive(true)
  fake.dropSockets()
  await until(`${attr('#conn', 'data-state')} === 'lost'`)
  assert.match((await page.textContent('#conn')) ?? '', /connection lost — reconnecting/)
  await until(`${attr('#data-age', 'data-stale')} === 'true'`, 6000)
  await browser.screenshot('page-connection-lost')
  fake.refuseLive(false)
  await until(`${attr('#conn', 'data-state')} === 'live'`, 15_000)
  await until(`${attr('#data-age', 'data-stale')} === 'false'`)
})

test('the console losing the venue bus shows, though the page\'s own socket is up', async () => {
  const { page } = browser
  fake.busLink(false)
  await until(`${attr('#conn', 'data-state')} === 'lost'`)
  assert.match((await page.textContent('#conn')) ?? '', /cut off from the venue bus/)
  await browser.screenshot('page-bus-lost')
  fake.busLink(true)
  await until(`${attr('#conn', 'data-state')} === 'live'`)
  assert.is(await page.textContent('#conn'), 'live')
})

test('camera tiles show status and a live view; the charts draw telemetry', async () => {
  const { page } = browser
  assert.is(await page.getAttribute('.cam[data-camera="cam-01"]', 'data-state'), 'online')
  await page.click('.cam[data-camera="cam-01"] .cam-toggle')
  await until(`(document.querySelector('.cam[data-camera="cam-01"] img.cam-live')?.naturalWidth ?? 0) > 0`)
  assert.ok((await page.locator('#charts .chart canvas').count()) >= 3, 'three uPlot charts')
  await browser.screenshot('page-camera-live')
  await page.click('.cam[data-camera="cam-01"] .cam-toggle')
})

test('a supervisor gets a reveal button on an alert with a known subject', async () => {
  const { page } = browser
  await page.click('#logout')
  await logIn(page, null, 'supervisor', 'dev-supervisor')
  await until("window.sentinel?.connection() === 'live'")
  fake.raise({ id: 'a-sup', subjects: ['sub-fake0007'] })
  await page.click('li.alert[data-alert-id="a-sup"]')
  await page.locator('#alert-detail .reveal-btn').waitFor()
  page.once('dialog', (d) => void d.accept('checking the wrong-room alert'))
  await page.click('#alert-detail .reveal-btn')
  await until(`/sub-fake0007: Demo Person/.test(${text('#alert-detail .detail-message')})`)
})

test.run()
