import { getJson, listOf, whenUnauthorised } from './data/api.js'
import { each, isRecord } from './data/narrow.js'
import { parseAlert, parseCameraStatus, parseMission, parseRobotStatus, type Track } from './data/records.js'
import { Store } from './data/store.js'
import { parseVenue } from './data/venue.js'
import { Live } from './data/live.js'
import { byId, clock, useTimeZone } from './dom.js'
import { askLogin, currentSession, logout, type Session } from './login.js'
import { MapCanvas } from './map/map-canvas.js'
import { mountLegend } from './map/legend.js'
import { AlertFeed } from './panels/alert-feed.js'
import { CameraTiles } from './panels/cameras.js'
import { Charts } from './panels/charts.js'
import { RobotsPanel } from './panels/robots.js'
import { mountStatusBar } from './panels/status-bar.js'
import { exposeProbe } from './probe.js'

/** /api/robots and /api/cameras wrap each contract status as {id, ..., status}; a bare status is taken too. */
function statuses(items: unknown[]): unknown[] {
  return items.map((i) => (isRecord(i) && 'status' in i ? i['status'] : i)).filter((s) => s !== null)
}

/** Fetch what the live feed does not repeat: alerts, robots, cameras and missions as they are now. */
async function refresh(store: Store): Promise<void> {
  const [alerts, robots, cameras, missions] = await Promise.allSettled([
    getJson('/api/alerts?state=all&limit=200'),
    getJson('/api/robots'),
    getJson('/api/cameras'),
    getJson('/api/missions'),
  ])
  const now = performance.now()
  if (alerts.status === 'fulfilled') for (const a of each(listOf(alerts.value, 'alerts'), parseAlert)) store.mergeAlert(a)
  if (robots.status === 'fulfilled') for (const r of each(statuses(listOf(robots.value, 'robots')), parseRobotStatus)) store.upsertRobot(r, now)
  if (cameras.status === 'fulfilled') for (const c of each(statuses(listOf(cameras.value, 'cameras')), parseCameraStatus)) store.cameras.set(c.camera, c)
  if (missions.status === 'fulfilled') for (const m of each(listOf(missions.value, 'missions'), parseMission)) store.missions.set(m.missionId, m)
  store.emit('alerts')
  store.emit('cameras')
  store.emit('missions')
}

/** One line about a person clicked on the map: pseudonym, category, project, zone, cameras. */
function describePerson(store: Store, t: Track): string {
  const zone = t.zone === null ? 'no zone' : (store.venue.zones.find((z) => z.id === t.zone)?.name ?? t.zone)
  const seen = t.lastSeenAt === null ? '' : ` · seen ${clock(t.lastSeenAt)}`
  return `${t.subject} · ${t.category}${t.project === null ? '' : ` of ${t.project}`} · ${zone}${seen}`
}

async function run(session: Session): Promise<void> {
  const store = new Store(parseVenue(await getJson('/api/venue')), session)
  if (store.venue.site.timezone !== null) useTimeZone(store.venue.site.timezone)
  document.body.dataset['view'] = 'console'
  document.body.dataset['role'] = session.role
  byId('app', HTMLElement).hidden = false
  let robots: RobotsPanel | null = null
  mountLegend(store.venue)
  const info = byId('map-info', HTMLSpanElement)
  const map = new MapCanvas(byId('map', HTMLCanvasElement), byId('map-floor', HTMLCanvasElement), store, (pick) => {
    if (pick !== null && 'robot' in pick) robots?.select(pick.robot)
    info.textContent = pick === null || !('person' in pick) ? '' : describePerson(store, pick.person)
  })
  robots = new RobotsPanel(store)
  new AlertFeed(store)
  new CameraTiles(store)
  const charts = new Charts(store)
  mountStatusBar(store, map.meter)
  exposeProbe(store, map)
  map.start()
  const live = new Live(store, () => void refresh(store), () => location.reload())
  byId('logout', HTMLButtonElement).addEventListener('click', () => {
    live.close()
    void logout()
  })
  live.open()
  await charts.load()
}

async function boot(): Promise<void> {
  whenUnauthorised(() => location.reload())
  let session: Session | null = null
  for (let wait = 500; session === null; wait = Math.min(wait * 2, 10_000)) {
    try {
      session = (await currentSession()) ?? (await askLogin())
    } catch {
      // the server is not answering yet: say so and try again, as the live feed does
      byId('boot-message', HTMLParagraphElement).textContent = 'console server not reachable — retrying…'
      await new Promise((r) => setTimeout(r, wait))
    }
  }
  byId('boot-message', HTMLParagraphElement).textContent = ''
  await run(session)
}

void boot()
